// The browser phone's page script: starts a session, plays what the server streams at phone pace, and sends the person's answers back.
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const KEY_STORE = 'tropo-phone-api-key';
  let apiKey = sessionStorage.getItem(KEY_STORE) ?? '';
  let apps = [];
  /** The running session: id, channel, the question waiting, its timers. */
  let current = null;

  function setStatus(text) {
    $('status').textContent = text;
  }

  async function api(path, init = {}) {
    const headers = { ...(init.headers ?? {}) };
    if (apiKey) headers.authorization = `Bearer ${apiKey}`;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    return fetch(path, { ...init, headers });
  }

  async function problem(response) {
    try {
      const body = await response.json();
      const issues = (body.error?.issues ?? []).map((i) => `${i.path}: ${i.message}`).join('; ');
      return `${body.error?.message ?? response.statusText}${issues ? ` (${issues})` : ''}`;
    } catch {
      return `HTTP ${response.status}`;
    }
  }

  // ---- Sound: DTMF tones (WebAudio) and speech (speechSynthesis).
  const DTMF = {
    1: [697, 1209],
    2: [697, 1336],
    3: [697, 1477],
    4: [770, 1209],
    5: [770, 1336],
    6: [770, 1477],
    7: [852, 1209],
    8: [852, 1336],
    9: [852, 1477],
    '*': [941, 1209],
    0: [941, 1336],
    '#': [941, 1477],
  };
  let audio = null;
  function tone(key) {
    if ($('mute').checked || typeof AudioContext === 'undefined') return;
    audio ??= new AudioContext();
    const gain = audio.createGain();
    gain.gain.value = 0.1;
    gain.connect(audio.destination);
    for (const frequency of DTMF[key]) {
      const osc = audio.createOscillator();
      osc.frequency.value = frequency;
      osc.connect(gain);
      osc.start();
      osc.stop(audio.currentTime + 0.15);
    }
  }
  /** Tropo voices by language, for a browser that has no voice of the same name. */
  const LANGUAGES = {
    'en-US': 'allison ava susan samantha zoe evelyn tom victor dave veronica vanessa grace',
    'en-GB': 'kate serena daniel oliver simon',
    'en-AU': 'karen lee',
    'fr-FR': 'audrey aurelie thomas',
    'fr-CA': 'amelie chantal nicolas',
    'de-DE': 'anna petra markus yannick katrin stefan',
    'it-IT': 'alice federica paola luca',
    'es-ES': 'monica jorge carmen montserrat jordi',
    'es-MX': 'paulina juan angelica carlos',
    'pt-BR': 'luciana felipe',
    'ja-JP': 'kyoko otoya',
    'zh-CN': 'tian-tian',
  };
  /** The voice each prompt was given in the documents (`say.voice`, or its verb's `voice`). */
  const promptVoices = new Map();
  function noteVoices(node, voice) {
    if (Array.isArray(node)) return node.forEach((item) => noteVoices(item, voice));
    if (!node || typeof node !== 'object') return;
    const own = typeof node.voice === 'string' && node.voice !== '' ? node.voice : voice;
    if (typeof node.value === 'string' && own) promptVoices.set(node.value, own);
    for (const value of Object.values(node)) noteVoices(value, own);
  }
  function browserVoice(tropoVoice) {
    const name = (tropoVoice ?? 'allison').toLowerCase();
    const voices = speechSynthesis.getVoices();
    const lang = Object.keys(LANGUAGES).find((l) => LANGUAGES[l].split(' ').includes(name));
    return (
      voices.find((v) => v.name.toLowerCase().split(/\W+/).includes(name)) ??
      (lang ? voices.find((v) => v.lang.replace('_', '-') === lang) : undefined)
    );
  }
  function speak(text) {
    if ($('mute').checked || typeof speechSynthesis === 'undefined') return;
    const utterance = new SpeechSynthesisUtterance(text);
    const voice = browserVoice(promptVoices.get(text));
    if (voice) utterance.voice = voice;
    const speed = Number($('speed').value);
    utterance.rate = speed > 1 ? Math.min(speed, 3) : 1;
    speechSynthesis.speak(utterance);
  }
  function hush() {
    if (typeof speechSynthesis !== 'undefined') speechSynthesis.cancel();
  }

  // ---- Playback: events are shown at the pace of the simulated clock (scaled by the speed).
  const queue = [];
  let playing = false;
  let clock = 0;
  let skipUntil = -1;
  let wake = null;
  const sleep = (ms) =>
    new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  function enqueue(at, show) {
    queue.push({ at, show });
    void pump();
  }
  async function pump() {
    if (playing) return;
    playing = true;
    while (queue.length > 0) {
      const item = queue[0];
      const speed = Number($('speed').value);
      const gap = Math.max(0, item.at - clock);
      if (speed > 0 && gap > 0 && item.at > skipUntil) await sleep((gap * 1000) / speed);
      queue.shift();
      clock = Math.max(clock, item.at);
      item.show();
    }
    playing = false;
  }
  /** The person answered: what the app already said is shown at once (barge-in). */
  function catchUp(at) {
    skipUntil = Math.max(skipUntil, at);
    wake?.();
  }

  // ---- The transcript.
  function addLine(line) {
    const li = document.createElement('li');
    li.className = `line ${line.actor} ${line.level}`;
    const at = document.createElement('span');
    at.className = 'at';
    at.textContent = `${line.at.toFixed(1)} s`;
    li.append(at, ` ${line.text}`);
    $('transcript').append(li);
    li.scrollIntoView({ block: 'nearest' });
    const said = /^Tropo says: (.*)$/s.exec(line.text);
    if (said && line.actor === 'tropo') {
      $('caption').textContent = said[1];
      // A prompt the person talked over (barge-in) is shown, not spoken.
      if (line.at > skipUntil) speak(said[1]);
    }
    // A text to the person reads as a reply; a text to someone else (a relay) says who gets it.
    const texted = /^Tropo texts (\S+)(?: from \S+)?: (.*)$/s.exec(line.text);
    if (texted && current?.kind === 'text') {
      bubble(
        texted[1] === $('from').value.trim() ? texted[2] : `To ${texted[1]}: ${texted[2]}`,
        'in',
      );
    }
  }
  function addExchange(exchange) {
    const li = document.createElement('li');
    const response = exchange.response;
    const errorId = response?.errorId;
    const bad =
      exchange.failure || errorId || (exchange.issues ?? []).some((i) => i.severity === 'error');
    li.className = `exchange${bad ? ' error' : ''}`;
    const details = document.createElement('details');
    const summary = document.createElement('summary');
    const path = exchange.url
      .replace(/^https?:\/\/[^/]+/, '')
      .replace(/([?&])key=[^&]*/, '$1key=…');
    const answer = response ? `HTTP ${response.status}` : (exchange.failure?.kind ?? '');
    summary.textContent = `Document #${exchange.index + 1}: POST ${path} → ${answer}${errorId ? ` · error id ${errorId}` : ''}${exchange.failure ? ` · ${exchange.failure.message}` : ''}`;
    const raw = document.createElement('pre');
    raw.textContent = `Request:\n${JSON.stringify(exchange.request, null, 2)}\n\nResponse:\n${pretty(response?.body ?? '')}`;
    for (const issue of exchange.issues ?? [])
      raw.textContent += `\n${issue.severity}: ${issue.path}: ${issue.message}`;
    details.append(summary, raw);
    li.append(details);
    $('transcript').append(li);
  }
  function pretty(body) {
    try {
      return JSON.stringify(JSON.parse(body), null, 2);
    } catch {
      return body;
    }
  }
  function bubble(text, direction) {
    const p = document.createElement('p');
    p.className = `bubble ${direction}`;
    p.textContent = text;
    $('thread').append(p);
  }

  // ---- Questions: what the session waits for, and the person's replies.
  function hidePanels() {
    for (const id of ['ringing', 'recording', 'conference']) $(id).hidden = true;
    $('time-left').textContent = '';
    clearInterval(current?.countdown);
  }
  function ask(question) {
    const text = question.channel === 'TEXT';
    setStatus(
      text
        ? `Waiting for your reply (${question.who})`
        : `Waiting for your answer (${question.who}): press keys or say something`,
    );
    if (!text) $('keypad').classList.add('active');
    let left = question.timeout;
    const show = () =>
      ($('time-left').textContent = `Time left: ${Math.max(0, Math.ceil(left))} s`);
    show();
    current.countdown = setInterval(() => {
      left -= 0.25;
      show();
      if (left <= 0) void reply({ kind: 'ask', via: 'timeout' });
    }, 250);
  }
  function showQuestion(id, question) {
    // Already answered (a key pressed while the prompt still played): nothing to show.
    if (current?.question?.id !== id) return;
    if (question.kind === 'ask') return ask(question);
    if (question.kind === 'leg') {
      $('ringing-who').textContent = `Ringing ${question.to} (${question.verb}): answer for them`;
      $('ringing').hidden = false;
      setStatus(`Ringing ${question.to}`);
    } else if (question.kind === 'record') {
      $('recording').hidden = false;
      setStatus('Recording');
    } else {
      $('conference-room').textContent = `In conference room ${question.room}`;
      $('conference').hidden = false;
      setStatus(`In conference ${question.room}`);
    }
  }
  async function reply(body) {
    const waiting = current?.question;
    if (!waiting) return;
    current.question = null;
    hidePanels();
    $('keypad').classList.remove('active');
    clearTimeout(current.digitTimer);
    catchUp(waiting.question.at);
    hush();
    setStatus('In session');
    const response = await api(`/phone/api/sessions/${current.id}/reply`, {
      method: 'POST',
      body: JSON.stringify({ question: waiting.id, reply: body }),
    });
    if (!response.ok && response.status !== 409)
      setStatus(`Reply refused: ${await problem(response)}`);
  }
  function press(key) {
    tone(key);
    const waiting = current?.question;
    if (!waiting || waiting.question.kind !== 'ask' || waiting.question.channel === 'TEXT') return;
    waiting.digits += key;
    clearTimeout(current.digitTimer);
    const send = () => void reply({ kind: 'ask', via: 'dtmf', text: waiting.digits });
    // Keys are collected until # or a pause between them, as Tropo's interdigit timeout does.
    if (key === '#') send();
    else current.digitTimer = setTimeout(send, 1200);
  }
  function sendText() {
    const input = $('text-input');
    const text = input.value.trim();
    const waiting = current?.question;
    if (!text || !waiting || waiting.question.kind !== 'ask') return;
    input.value = '';
    const textChannel = waiting.question.channel === 'TEXT';
    if (textChannel) bubble(text, 'out');
    void reply({ kind: 'ask', via: textChannel ? 'text' : 'speech', text });
  }

  // ---- A session: started by a POST whose answer is the event stream.
  function handle(type, data) {
    if (type === 'started') {
      current.id = data.id;
      current.kind = data.kind;
      $('thread').hidden = data.kind !== 'text';
      if (data.kind === 'text') bubble($('first-text').value, 'out');
      setStatus(data.kind === 'token' ? 'Launched: the app is calling out' : 'In session');
    } else if (type === 'line') enqueue(data.line.at, () => addLine(data.line));
    else if (type === 'exchange') {
      try {
        noteVoices(JSON.parse(data.exchange.response?.body ?? 'null'), undefined);
      } catch {
        // Not JSON: the exchange shows why; it names no voice.
      }
      enqueue(data.exchange.at, () => addExchange(data.exchange));
    } else if (type === 'question') {
      // Waiting from now on, so a key pressed during the prompt answers it (barge-in); shown in turn.
      current.question = { id: data.id, question: data.question, digits: '' };
      enqueue(data.question.at, () => showQuestion(data.id, data.question));
    } else if (type === 'ended') enqueue(0, () => finish(data.outcome));
  }
  function finish(outcome) {
    hidePanels();
    $('keypad').classList.remove('active');
    $('hangup').disabled = true;
    $('start').disabled = false;
    const failed = outcome && outcome.status !== 'completed';
    setStatus(
      `Session ended${failed ? ` (${outcome.status})` : ''}: ${outcome?.reason ?? 'no outcome'}`,
    );
    $('status').classList.toggle('error', Boolean(failed));
    current = null;
  }
  async function start() {
    const mode = document.querySelector('input[name="mode"]:checked').value;
    const body = { mode, app: $('app').value };
    if (mode === 'launch') {
      body.params = {};
      for (const field of $('params').querySelectorAll('[data-param]')) {
        if (field.value.trim() !== '') body.params[field.dataset.param] = field.value.trim();
      }
    } else {
      body.from = $('from').value;
      body.to = $('to').value;
      if (mode === 'text') body.text = $('first-text').value;
    }
    $('transcript').replaceChildren();
    $('thread').replaceChildren();
    $('caption').textContent = '';
    $('status').classList.remove('error');
    queue.length = 0;
    promptVoices.clear();
    clock = 0;
    skipUntil = -1;
    hush();
    setStatus('Starting…');
    const response = await api('/phone/api/sessions', {
      method: 'POST',
      body: JSON.stringify(body),
    });
    if (!response.ok || !response.body) {
      setStatus(`Could not start: ${await problem(response)}`);
      $('status').classList.add('error');
      return;
    }
    current = { id: null, kind: null, question: null };
    $('start').disabled = true;
    $('hangup').disabled = false;
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const type = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (type && data) handle(type, JSON.parse(data));
      }
    }
    // The stream closed without an end (the server restarted, the network dropped).
    const lost = { status: 'disconnected', reason: 'the connection to the server closed' };
    enqueue(0, () => current && finish(lost));
  }
  async function hangup() {
    if (!current?.id) return;
    hush();
    const id = current.id;
    const waiting = current.question;
    if (waiting) catchUp(waiting.question.at);
    current.question = null;
    hidePanels();
    setStatus('Hanging up…');
    await api(`/phone/api/sessions/${id}/hangup`, { method: 'POST' });
  }

  // ---- Set-up: the app list, the mode and the launch form.
  async function showForm() {
    const mode = document.querySelector('input[name="mode"]:checked').value;
    $('numbers').hidden = mode === 'launch';
    $('first-text-field').hidden = mode !== 'text';
    $('params').hidden = mode !== 'launch';
    const app = apps.find((a) => a.name === $('app').value);
    $('app-description').textContent = app?.description ?? '';
    if (mode !== 'launch' || !app) return;
    const response = await api(`/phone/api/apps/${encodeURIComponent(app.name)}/params`);
    const schema = response.ok ? (await response.json()).schema : null;
    const fields = [];
    for (const [name, property] of Object.entries(schema?.properties ?? {})) {
      const label = document.createElement('label');
      label.htmlFor = `param-${name}`;
      label.textContent = `${name}${(schema.required ?? []).includes(name) ? ' (required)' : ''}`;
      const field = document.createElement(property.enum ? 'select' : 'input');
      if (property.enum) {
        for (const value of ['', ...property.enum])
          field.append(new Option(value || '(unset)', value));
      }
      field.id = `param-${name}`;
      field.dataset.param = name;
      field.dataset.testid = `param-${name}`;
      if (property.maxLength) field.maxLength = property.maxLength;
      fields.push(label, field);
    }
    if (fields.length === 0) fields.push(document.createTextNode('This app takes no parameters.'));
    $('params').replaceChildren(...fields);
  }
  async function load() {
    const check = await api('/phone/api/check');
    if (check.status === 401) {
      $('key-form').hidden = false;
      setStatus(
        apiKey ? 'That key was refused: enter the API key' : 'This server needs its API key',
      );
      return;
    }
    $('key-form').hidden = true;
    const response = await api('/apps');
    apps = (await response.json()).apps;
    $('app').replaceChildren(
      ...apps.map((a) => new Option(`${a.name} (${a.channels.join(', ')})`, a.name)),
    );
    $('main').hidden = false;
    await showForm();
    setStatus('Ready: pick an app and start');
  }

  $('key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    apiKey = $('api-key').value.trim();
    sessionStorage.setItem(KEY_STORE, apiKey);
    void load();
  });
  $('app').addEventListener('change', () => void showForm());
  for (const radio of document.querySelectorAll('input[name="mode"]'))
    radio.addEventListener('change', () => void showForm());
  $('start').addEventListener(
    'click',
    () =>
      void start().catch((err) => {
        if (current)
          finish({ status: 'disconnected', reason: `the stream failed: ${err.message}` });
        else setStatus(`Could not start: ${err.message}`);
      }),
  );
  $('hangup').addEventListener('click', () => void hangup());
  $('keypad').addEventListener('click', (event) => {
    const key = event.target.closest('[data-key]')?.dataset.key;
    if (key) press(key);
  });
  $('say-form').addEventListener('submit', (event) => {
    event.preventDefault();
    sendText();
  });
  $('ringing').addEventListener('click', (event) => {
    const outcome = event.target.closest('[data-leg]')?.dataset.leg;
    if (outcome) void reply({ kind: 'leg', outcome });
  });
  $('stop-recording').addEventListener(
    'click',
    () => void reply({ kind: 'record', outcome: 'recorded' }),
  );
  $('leave-conference').addEventListener('click', () => void reply({ kind: 'conference' }));
  document.addEventListener('keydown', (event) => {
    if (
      event.target instanceof window.HTMLInputElement ||
      event.target instanceof window.HTMLSelectElement
    )
      return;
    if (/^[0-9*#]$/.test(event.key)) press(event.key);
  });
  void load().catch((err) => setStatus(`Could not load: ${err.message}`));
})();
