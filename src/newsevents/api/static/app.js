// The newsevents web page: plain DOM, no framework, no build step.
//
// Article text is untrusted. It reaches the page only through textContent and text nodes (the
// h() helper below), never through innerHTML, so markup inside an article is shown as text and
// runs nothing; the Content-Security-Policy (scripts from this server only) is the second wall.
'use strict';

const QUADS = [
  { label: 'neutral statement', color: '#8d8d8d' },
  { label: 'verbal cooperation', color: '#7fbf7b' },
  { label: 'material cooperation', color: '#1b7837' },
  { label: 'verbal conflict', color: '#f4a261' },
  { label: 'material conflict', color: '#c0392b' },
];
const $ = (sel, root = document) => root.querySelector(sel);

// ------------------------------------------------------------------ helpers

/** An element; strings among the children become text nodes (never parsed as HTML). */
function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value == null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** A link only for http(s) URLs: a stored "url" could be javascript:... */
function safeLink(url, text) {
  try {
    const u = new URL(url);
    if (u.protocol === 'http:' || u.protocol === 'https:') return h('a', { href: u.href, rel: 'noopener noreferrer', target: '_blank' }, text || url);
  } catch (e) { /* not a URL */ }
  return h('span', {}, text || url);
}

class ApiError extends Error {
  constructor(status, detail) { super(detail); this.status = status; }
}

/** GET (or send) JSON; list values become repeated parameters, empty ones are left out. */
async function api(path, params = {}, init = {}) {
  const url = new URL(path, location.origin);
  for (const [key, value] of Object.entries(params)) {
    for (const v of [].concat(value)) {
      if (v !== '' && v != null && v !== false) url.searchParams.append(key, v);
    }
  }
  const res = await fetch(url, init);
  let data = null;
  try { data = await res.json(); } catch (e) { /* an empty or non-JSON body */ }
  if (!res.ok) throw new ApiError(res.status, (data && data.detail) || `${res.status} ${res.statusText}`);
  return { data, res };
}

function setStatus(el, text, kind = '') {
  el.textContent = text;
  el.className = `status ${kind}`;
}

function actorLabel(ref) {
  if (!ref) return '';
  const name = ref.name && ref.name !== ref.text ? ` (${ref.name})` : '';
  return `${ref.text}${name}`;
}

function codeOf(ref) { return ref && ref.code ? ref.code : ''; }

function quadBadge(q) {
  const quad = QUADS[q] || { label: '?', color: '#999' };
  return h('span', { class: `quad q${q}`, title: quad.label }, String(q));
}

function short(text, n = 140) {
  text = (text || '').replace(/\s+/g, ' ');
  return text.length <= n ? text : `${text.slice(0, n - 1)}…`;
}

function signed(x) { return x == null ? '' : (x > 0 ? '+' : '') + Number(x).toFixed(1); }

// ------------------------------------------------------------------ a Document, highlighted

/**
 * The article body with its actors, quotes and event triggers marked, and tabs beside it
 * listing events (each row linked to its sentence), quotes and actors.
 */
function renderDocument(doc, container, { select = null, selectQuote = null, onSelect = null } = {}) {
  container.replaceChildren();
  const a = doc.article;
  const body = a.body;
  const meta = [a.published && a.published.slice(0, 10), a.publisher, a.author, a.dateline,
    a.language && `language ${a.language}`].filter(Boolean).join(' · ');
  const marks = [];
  doc.actors.forEach((m, i) => marks.push({ start: m.start, end: m.end, kind: 'actor', i }));
  doc.quotes.forEach((q, i) => {
    for (const part of (q.parts && q.parts.length ? q.parts : [q.content])) marks.push({ start: part.start, end: part.end, kind: 'quote', i });
  });
  (doc.locations || []).forEach((p, i) => marks.push({ start: p.start, end: p.end, kind: 'place', i }));
  doc.events.forEach((e, i) => {
    marks.push({ start: e.trigger.start, end: e.trigger.end, kind: 'trigger', i });
    if (e.source) marks.push({ start: e.source.start, end: e.source.end, kind: 'source', i });
    if (e.target) marks.push({ start: e.target.start, end: e.target.end, kind: 'target', i });
  });
  const { bodyEl, sentenceEls, markEls } = highlight(body, doc.sentences, marks, doc);

  const eventsTable = eventTable(doc, (i) => selectEvent(i, true));
  const quotesList = quoteList(doc, (i) => selectQuoteAt(i));
  const actorsList = actorList(doc, (idx) => flashMarks(idx.flatMap((m) => markEls.actor[m] || [])));
  const placesList = placeList(doc, (idx) => flashMarks(idx.flatMap((i) => markEls.place[i] || [])));
  const panels = tabs([
    [`Events (${doc.events.length})`, eventsTable],
    [`Quotes (${doc.quotes.length + (doc.title_quotes || []).length})`, quotesList],
    [`Actors (${doc.entities.length || doc.actors.length})`, actorsList],
    [`Places (${new Set((doc.locations || []).map((p) => `${p.name || p.text}|${p.country || ''}`)).size})`, placesList],
  ]);

  container.append(h('div', { class: 'article-layout' },
    h('article', { class: 'card article' },
      h('h2', { class: 'article-title' }, a.title || '(untitled)'),
      h('p', { class: 'muted' }, meta, meta && ' · ', a.url ? safeLink(a.url) : a.source, ` · id ${a.id}`),
      a.warnings && a.warnings.length ? h('p', { class: 'warning' }, a.warnings.join('; ')) : null,
      legend(),
      bodyEl),
    h('aside', { class: 'card side' }, panels)));

  let current = null;
  function selectEvent(i, scroll) {
    for (const el of container.querySelectorAll('.selected, .sel-source, .sel-target, .sel-trigger')) {
      el.classList.remove('selected', 'sel-source', 'sel-target', 'sel-trigger');
    }
    if (current === i) { current = null; if (onSelect) onSelect(null); return; }
    current = i;
    if (onSelect) onSelect(i);
    const e = doc.events[i];
    const row = eventsTable.querySelector(`tr[data-event="${i}"]`);
    if (row) row.classList.add('selected');
    const sentence = sentenceEls[e.sentence_index] || sentenceContaining(sentenceEls, doc.sentences, e.trigger.start);
    for (const el of markEls.trigger[i] || []) el.classList.add('sel-trigger');
    for (const el of markEls.source[i] || []) el.classList.add('sel-source');
    for (const el of markEls.target[i] || []) el.classList.add('sel-target');
    if (sentence) {
      sentence.classList.add('selected');
      if (scroll) sentence.scrollIntoView({ block: 'center', behavior: 'smooth' });
    }
  }
  function selectQuoteAt(i) {
    const els = markEls.quote[i] || [];
    flashMarks(els);
  }
  // A trigger in the text selects its event row too.
  bodyEl.addEventListener('click', (ev) => {
    const t = ev.target.closest('[data-events]');
    if (!t) return;
    const i = Number(t.dataset.events.split(' ')[0]);
    panels.show(0);
    selectEvent(i, false);
    const row = eventsTable.querySelector(`tr[data-event="${i}"]`);
    if (row) row.scrollIntoView({ block: 'nearest' });
  });
  if (select != null && doc.events[select]) selectEvent(select, true);
  if (selectQuote != null && doc.quotes[selectQuote]) { panels.show(1); selectQuoteAt(selectQuote); }
}

function sentenceContaining(sentenceEls, sentences, offset) {
  const s = sentences.find((x) => x.start <= offset && offset < x.end);
  return s ? sentenceEls[s.index] : null;
}

function flashMarks(els) {
  for (const el of document.querySelectorAll('.flash')) el.classList.remove('flash');
  if (!els.length) return;
  for (const el of els) el.classList.add('flash');
  els[0].scrollIntoView({ block: 'center', behavior: 'smooth' });
}

/**
 * The body as text nodes cut at every mark and sentence boundary: each piece is a span carrying
 * the classes of the marks covering it, inside the span of its sentence.
 */
function highlight(body, sentences, marks, doc) {
  const cuts = new Set([0, body.length]);
  const valid = marks.filter((m) => m.start >= 0 && m.end <= body.length && m.start < m.end);
  for (const m of valid) { cuts.add(m.start); cuts.add(m.end); }
  for (const s of sentences) { cuts.add(s.start); cuts.add(s.end); }
  const points = [...cuts].sort((x, y) => x - y);
  const byStart = new Map();
  for (const m of valid) {
    if (!byStart.has(m.start)) byStart.set(m.start, []);
    byStart.get(m.start).push(m);
  }
  const bodyEl = h('div', { class: 'article-body' });
  const sentenceEls = {};
  const markEls = { actor: {}, quote: {}, trigger: {}, source: {}, target: {}, place: {} };
  const ordered = [...sentences].sort((x, y) => x.start - y.start);
  let si = 0;
  let active = [];
  for (let k = 0; k < points.length - 1; k++) {
    const from = points[k];
    const to = points[k + 1];
    active = active.filter((m) => m.end > from).concat(byStart.get(from) || []);
    while (si < ordered.length && ordered[si].end <= from) si++;
    let parent = bodyEl;
    const s = ordered[si];
    if (s && s.start <= from && from < s.end) {
      if (!sentenceEls[s.index]) {
        sentenceEls[s.index] = h('span', { class: 'sentence', dataset: { sentence: s.index } });
        bodyEl.append(sentenceEls[s.index]);
      }
      parent = sentenceEls[s.index];
    }
    const text = body.slice(from, to);
    if (!active.length) { parent.append(document.createTextNode(text)); continue; }
    const kinds = new Set(active.map((m) => m.kind));
    const el = h('span', { class: [...kinds].map((x) => `m-${x}`).join(' ') }, text);
    const titles = [];
    const triggers = active.filter((m) => m.kind === 'trigger');
    if (triggers.length) {
      const e = doc.events[triggers[0].i];
      el.classList.add(`q${e.quad_class}`);
      el.dataset.events = triggers.map((m) => m.i).join(' ');
      for (const m of triggers) {
        const ev = doc.events[m.i];
        titles.push(`event: ${ev.cameo} ${ev.cameo_name} (${QUADS[ev.quad_class].label}, Goldstein ${signed(ev.goldstein)})`);
      }
    }
    for (const m of active) {
      (markEls[m.kind][m.i] = markEls[m.kind][m.i] || []).push(el);
      if (m.kind === 'actor') {
        const actor = doc.actors[m.i];
        titles.push(`actor: ${actor.name || actor.text}${actor.code ? ` [${actor.code}]` : ''}`);
      }
      if (m.kind === 'place') {
        const place = doc.locations[m.i];
        titles.push(`place: ${place.name || place.text}${place.country ? ` [${place.country}]` : ''}`);
      }
    }
    if (titles.length) el.title = [...new Set(titles)].join('\n');
    parent.append(el);
  }
  return { bodyEl, sentenceEls, markEls };
}

function legend() {
  return h('p', { class: 'legend', 'aria-label': 'Legend' },
    h('span', { class: 'm-actor' }, 'actor'), ' ',
    h('span', { class: 'm-quote' }, 'quote'), ' ',
    h('span', { class: 'm-place' }, 'place'), ' ',
    'event trigger by quad class: ',
    QUADS.map((q, i) => [h('span', { class: `m-trigger q${i}` }, q.label), ' ']));
}

let tabSets = 0;

/** Tabs: buttons with arrow-key navigation over panels. */
function tabs(items) {
  const set = ++tabSets;
  const list = h('div', { class: 'tabs', role: 'tablist' });
  const panels = [];
  const buttons = items.map(([label, panel], i) => {
    const b = h('button', { type: 'button', role: 'tab', id: `tab-${set}-${i}`, 'aria-controls': `panel-${set}-${i}` }, label);
    b.addEventListener('click', () => show(i));
    b.addEventListener('keydown', (ev) => {
      const step = ev.key === 'ArrowRight' ? 1 : ev.key === 'ArrowLeft' ? -1 : 0;
      if (step) { const j = (i + step + items.length) % items.length; show(j); buttons[j].focus(); }
    });
    panels.push(h('div', { role: 'tabpanel', id: `panel-${set}-${i}`, 'aria-labelledby': `tab-${set}-${i}`, class: 'panel' }, panel));
    return b;
  });
  function show(i) {
    buttons.forEach((b, j) => { b.setAttribute('aria-selected', String(i === j)); b.tabIndex = i === j ? 0 : -1; });
    panels.forEach((p, j) => { p.hidden = i !== j; });
  }
  list.append(...buttons);
  const wrap = h('div', {}, list, panels);
  wrap.show = show;
  show(0);
  return wrap;
}

function eventTable(doc, onSelect) {
  if (!doc.events.length) return h('p', { class: 'muted' }, 'No events coded in this article.');
  const rows = doc.events.map((e, i) => {
    const row = h('tr', { tabindex: 0, dataset: { event: i }, title: 'Show its sentence (Enter)' },
      h('td', {}, String(i + 1)),
      h('td', {}, short(actorLabel(e.source), 60), h('div', { class: 'code' }, codeOf(e.source))),
      h('td', {}, h('strong', {}, e.trigger.text), e.negated ? h('span', { class: 'tag' }, 'negated') : null,
        h('div', { class: 'code' }, `${e.cameo} ${e.cameo_name}`),
        e.plover ? h('div', { class: 'code plover' }, `PLOVER ${e.plover}${e.plover_mode ? ` · ${e.plover_mode}` : ''}`) : null),
      // a reciprocal act ("A met B") has no target: show its counterpart, marked as mutual
      e.counterpart ? h('td', {}, '↔ ', short(actorLabel(e.counterpart), 60), h('div', { class: 'code' }, codeOf(e.counterpart)))
        : h('td', {}, short(actorLabel(e.target), 60), h('div', { class: 'code' }, codeOf(e.target))),
      h('td', { class: 'num' }, quadBadge(e.quad_class), h('div', { class: 'code' }, signed(e.goldstein))),
      h('td', { class: 'nowrap' }, e.date || '', e.modality !== 'asserted' ? h('div', { class: 'code' }, e.modality) : null));
    row.addEventListener('click', () => onSelect(i));
    row.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); onSelect(i); }
      if (ev.key === 'ArrowDown' && row.nextElementSibling) { ev.preventDefault(); row.nextElementSibling.focus(); }
      if (ev.key === 'ArrowUp' && row.previousElementSibling) { ev.preventDefault(); row.previousElementSibling.focus(); }
    });
    return row;
  });
  return h('table', { class: 'grid clickable events-table' },
    h('thead', {}, h('tr', {}, ['#', 'source', 'event', 'target', 'quad, Goldstein', 'date'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows));
}

function quoteList(doc, onSelect) {
  const inTitle = doc.title_quotes || [];
  if (!doc.quotes.length && !inTitle.length) return h('p', { class: 'muted' }, 'No quotes found.');
  const about = (q) => [
    h('span', { class: 'speaker' }, q.speaker ? actorLabel(q.speaker) : 'unattributed'),
    q.speaker && q.speaker.code ? h('span', { class: 'code' }, ` ${q.speaker.code}`) : null,
    h('span', { class: 'muted' }, ` · ${q.kind}${q.cue ? ` · “${q.cue.text}”` : ''}`)];
  // the title's quotes first: their offsets are into the title, so they mark nothing in the body
  return h('div', {},
    inTitle.length ? h('ul', { class: 'quotes title-quotes' }, inTitle.map((q) => h('li', {},
      h('span', { class: 'muted' }, 'headline · '), ...about(q), h('blockquote', {}, short(q.content.text, 300))))) : null,
    h('ol', { class: 'quotes' }, doc.quotes.map((q, i) => h('li', {},
      h('button', { type: 'button', class: 'link', onclick: () => onSelect(i) }, ...about(q)),
      h('blockquote', {}, short(q.content.text, 300))))));
}

/** The article's places, one row per place (its mentions counted; a click flashes them all). */
function placeList(doc, onSelect) {
  const groups = new Map();
  (doc.locations || []).forEach((p, i) => {
    const key = `${p.name || p.text}|${p.country || ''}`;
    if (!groups.has(key)) groups.set(key, { place: p, mentions: [], written: new Set() });
    groups.get(key).mentions.push(i);
    groups.get(key).written.add(p.text);
  });
  if (!groups.size) return h('p', { class: 'muted' }, 'No places found.');
  const coord = (x) => (x == null ? '' : Number(x).toFixed(2));
  return h('table', { class: 'grid places-table' },
    h('thead', {}, h('tr', {}, ['place', 'as written', 'country', 'kind', 'lat, lon', 'mentions'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, [...groups.values()].map(({ place: p, mentions, written }) => h('tr', {},
      h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => onSelect(mentions) }, p.name || p.text)),
      h('td', {}, [...written].join(', ')), h('td', { class: 'code' }, p.country || ''), h('td', {}, p.feature || ''),
      h('td', { class: 'num nowrap' }, p.lat == null ? '' : `${coord(p.lat)}, ${coord(p.lon)}`),
      h('td', { class: 'num' }, String(mentions.length))))));
}

function actorList(doc, onSelect) {
  const groups = doc.entities.length
    ? doc.entities.map((e) => ({ name: e.name, code: e.code, type: e.type, mentions: e.mentions }))
    : doc.actors.map((m, i) => ({ name: m.name || m.text, code: m.code, type: m.type, mentions: [i] }));
  if (!groups.length) return h('p', { class: 'muted' }, 'No actors found.');
  return h('table', { class: 'grid' },
    h('thead', {}, h('tr', {}, ['actor', 'code', 'type', 'mentions'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, groups.map((g) => h('tr', {},
      h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => onSelect(g.mentions) }, g.name)),
      h('td', { class: 'code' }, g.code || ''), h('td', {}, g.type || ''), h('td', { class: 'num' }, String(g.mentions.length))))));
}

// ------------------------------------------------------------------ views

const views = ['read', 'article', 'browse', 'timeline', 'map'];

function showView(name) {
  for (const v of views) $(`#view-${v}`).hidden = v !== name;
  for (const a of document.querySelectorAll('nav a[data-view]')) {
    if (a.dataset.view === name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

async function route() {
  const [path, query] = location.hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(query || '');
  const parts = path.split('/').filter(Boolean);
  const view = parts[0] || (storeInfo && storeInfo.articles ? 'browse' : 'read');
  if (view === 'article' && parts[1]) {
    showView('article');
    await openArticle(decodeURIComponent(parts[1]), params);
  } else if (view === 'browse') {
    showView('browse');
    await browse(params);
  } else if (view === 'timeline') {
    showView('timeline');
    await timeline(params);
  } else if (view === 'map') {
    showView('map');
    await drawMap(params);
  } else {
    showView('read');
  }
}

// -- code an article
async function extract(ev) {
  ev.preventDefault();
  const status = $('#read-status');
  const file = $('#input-file').files[0];
  const text = $('#input-text').value;
  if (!file && !text.trim()) { setStatus(status, 'Paste a text or choose a file first.', 'error'); return; }
  let body;
  let type;
  if (file) {
    body = await file.arrayBuffer();
    type = file.type || (/\.x?html?$/i.test(file.name) ? 'text/html' : 'text/plain');
  } else {
    body = text;
    type = 'text/plain; charset=utf-8';
  }
  const params = {
    format: $('#input-format').value, published: $('#input-published').value,
    store: $('#input-store').checked ? 'true' : '', source: file ? file.name : 'pasted text',
  };
  setStatus(status, 'Coding… (the first article after the server starts also loads the language model)', 'busy');
  $('#extract-form button[type=submit]').disabled = true;
  try {
    const { data, res } = await api('/api/extract', params, { method: 'POST', headers: { 'Content-Type': type }, body });
    const stored = res.headers.get('X-Newsevents-Stored');
    setStatus(status, `${data.events.length} events, ${data.quotes.length} quotes, ${data.actors.length} actor mentions` +
      (stored === 'written' ? ' · saved in the store' : stored ? ' · already in the store' : ''), 'ok');
    renderDocument(data, $('#read-result'));
    if (stored) refreshStoreInfo();
  } catch (e) {
    setStatus(status, e.message, 'error');
  } finally {
    $('#extract-form button[type=submit]').disabled = false;
  }
}

async function openArticle(id, params) {
  const status = $('#article-status');
  setStatus(status, 'Loading…', 'busy');
  try {
    const { data } = await api(`/api/articles/${encodeURIComponent(id)}`);
    setStatus(status, '');
    // event=N and quote=N count from 1, as the tables number them
    const select = params.has('event') ? Number(params.get('event')) - 1 : null;
    const selectQuote = params.has('quote') ? Number(params.get('quote')) - 1 : null;
    // the selected event goes into the address (replaced, not a new history entry: Back leaves the article)
    const onSelect = (i) => history.replaceState(null, '', articleHref(id, i == null ? null : 'event', i + 1));
    renderDocument(data, $('#article-result'), { select, selectQuote, onSelect });
  } catch (e) {
    $('#article-result').replaceChildren();
    setStatus(status, e.message, 'error');
  }
}

// -- browse
// The API's filters, in the form's order. The address carries them as the API's parameters, so a
// view can be bookmarked, shared and reloaded; any other filter in the address (event, article,
// quote_kind, a second value) is passed on to the API too and named above the results.
const FILTERS = ['actor', 'source', 'target', 'dyad', 'undirected', 'cameo', 'plover', 'quad', 'since', 'until', 'place', 'text'];
// Which filters each kind takes (as `newsevents query`); the others are disabled in the form.
const APPLIES = {
  articles: ['actor', 'since', 'until', 'place', 'text'],
  events: FILTERS, mentions: FILTERS,
  quotes: ['actor', 'source', 'since', 'until', 'text'],
};
const KINDS = Object.keys(APPLIES);
const PLOVER_TYPES = ['ACCUSE', 'AGREE', 'AID', 'ASSAULT', 'COERCE', 'CONCEDE', 'CONSULT', 'COOPERATE', 'MOBILIZE',
  'PROTEST', 'REJECT', 'REQUEST', 'RETREAT', 'SANCTION', 'SUPPORT', 'THREATEN'];
// Parameters of a view rather than filters.
const VIEW_PARAMS = ['kind', 'offset', 'by', 'view'];
const PAGE = 50;
let scrollToTop = false;

/** The filters of an address, as API parameters (lists for repeated ones). */
function filterQuery(params, allowed = null) {
  const query = {};
  for (const key of new Set(params.keys())) {
    if (VIEW_PARAMS.includes(key) || (allowed && !allowed.includes(key))) continue;
    const values = params.getAll(key).filter((v) => v !== '');
    if (values.length) query[key] = values;
  }
  return query;
}

function browseParams() {
  const form = $('#browse-form');
  const kind = form.elements.kind.value;
  const params = new URLSearchParams({ kind });
  for (const name of APPLIES[kind]) {
    const el = form.elements[name];
    const value = el.type === 'checkbox' ? (el.checked ? 'true' : '') : el.value.trim();
    if (value) params.set(name, value);
  }
  // filters the form has no field for stay, until removed with their ×
  const current = new URLSearchParams(location.hash.split('?')[1] || '');
  for (const [key, value] of current) if (!FILTERS.includes(key) && !VIEW_PARAMS.includes(key)) params.append(key, value);
  return params;
}

function syncBrowseForm(params, kind) {
  const form = $('#browse-form');
  form.elements.kind.value = kind;
  for (const name of FILTERS) {
    const el = form.elements[name];
    if (el.type === 'checkbox') el.checked = params.get(name) === 'true';
    else el.value = params.get(name) || '';
  }
  const plover = params.get('plover');
  if (plover && form.elements.plover.value !== plover) {  // a type the list does not have: shown all the same
    form.elements.plover.append(h('option', { value: plover }, plover));
    form.elements.plover.value = plover;
  }
  enableFilters();
}

function enableFilters() {
  const form = $('#browse-form');
  const applies = APPLIES[form.elements.kind.value] || [];
  for (const name of FILTERS) form.elements[name].disabled = !applies.includes(name);
}

/** The filters of the address that the form does not show, each with a link removing it. */
function extraFilters(params) {
  const shown = new Set(FILTERS);
  const chips = [];
  for (const key of new Set(params.keys())) {
    if (VIEW_PARAMS.includes(key)) continue;
    const values = params.getAll(key);
    values.forEach((value, i) => {
      if (shown.has(key) && i === 0) return;
      const rest = new URLSearchParams();
      for (const [k, v] of params) if (!(k === key && v === value)) rest.append(k, v);
      rest.delete('offset');
      chips.push(h('span', { class: 'chip' }, `${key} = ${value} `,
        h('a', { href: `#/browse?${rest}`, title: `remove ${key} = ${value}`, 'aria-label': `remove ${key} = ${value}` }, '×')));
    });
  }
  return chips.length ? h('p', { class: 'chips' }, h('span', { class: 'muted' }, 'Also filtered by: '), chips) : null;
}

// Each view load takes a number; an answer that comes back after a newer load began is dropped
// (quick clicks or Back must not leave an older result on the page).
let loads = 0;

async function browse(params) {
  const load = ++loads;
  const kind = params.get('kind') || 'articles';
  const status = $('#browse-status');
  if (!KINDS.includes(kind)) {
    $('#browse-result').replaceChildren();
    $('#facets').hidden = true;
    pagerOff();
    setStatus(status, `There is no “${kind}” to browse: choose ${KINDS.join(', ')}.`, 'error');
    return;
  }
  syncBrowseForm(params, kind);
  const offset = Math.max(0, Number(params.get('offset')) || 0);
  const filters = filterQuery(params);
  updateExport(kind, filters);
  setStatus(status, 'Loading…', 'busy');
  try {
    const { data } = await api(`/api/${kind}`, { ...filters, limit: PAGE, offset });
    if (load !== loads) return;
    const extra = extraFilters(params);
    $('#browse-result').replaceChildren(...[extra, data.items.length ? resultTable(kind, data.items) : null].filter(Boolean));
    const last = Math.min(offset + data.items.length, data.total);
    if (!data.total) {
      setStatus(status, `No ${kind} match.`);
      $('#browse-range').textContent = '';
    } else if (!data.items.length) {  // an address with an offset past the end
      const lastPage = Math.floor((data.total - 1) / PAGE) * PAGE;
      setStatus(status, `This page is past the end: ${plural(data.total, kind.replace(/s$/, ''))} in all.`, 'error');
      $('#browse-range').textContent = `page past the end (${data.total} in all)`;
      pageButton($('#browse-prev'), params, lastPage);
      pageButton($('#browse-next'), params, null);
    } else {
      setStatus(status, '');
      $('#browse-range').textContent = `${offset + 1}–${last} of ${data.total}`;
    }
    if (data.items.length || !data.total) {
      pageButton($('#browse-prev'), params, offset > 0 ? Math.max(0, offset - PAGE) : null);
      pageButton($('#browse-next'), params, last < data.total ? offset + PAGE : null);
    }
    if (scrollToTop) { scrollToTop = false; $('#view-browse').scrollIntoView({ block: 'start' }); }
    await showFacets(kind, filters, params, load);
  } catch (e) {
    if (load !== loads) return;
    $('#browse-result').replaceChildren(extraFilters(params) || '');
    pagerOff();
    setStatus(status, e.status === 503 ? `The store is not available: ${e.message}` : e.message, 'error');
  }
}

function pagerOff() {
  $('#browse-range').textContent = '';
  pageButton($('#browse-prev'), null, null);
  pageButton($('#browse-next'), null, null);
}

function pageButton(button, params, offset) {
  button.disabled = offset == null;
  button.onclick = () => {
    const next = new URLSearchParams(params);
    next.set('offset', String(offset));
    scrollToTop = true;
    location.hash = `#/browse?${next}`;
  };
}

/** The download link: what the view selects, every row, in the chosen format. */
function updateExport(kind, filters) {
  const select = $('#export-format');
  const eventsOnly = kind !== 'events';
  for (const option of select.options) option.disabled = eventsOnly && (option.value === 'gdelt' || option.value === 'plover');
  if (select.selectedOptions[0].disabled) select.value = 'csv';
  const query = { ...filters, format: select.value, table: kind };
  const link = new URL('/api/export', location.origin);
  const manifest = new URL('/api/export/manifest', location.origin);
  for (const [key, values] of Object.entries(query)) {
    for (const v of [].concat(values)) { link.searchParams.append(key, v); manifest.searchParams.append(key, v); }
  }
  $('#export-link').href = link.pathname + link.search;
  $('#export-link').textContent = `Download ${kind} (${select.selectedOptions[0].textContent})`;
  $('#export-manifest').href = manifest.pathname + manifest.search;
  $('#export-note').textContent = eventsOnly ? 'GDELT and PLOVER files hold events: show events to get them.' : '';
}

function articleHref(articleId, key, n) {
  return `#/article/${encodeURIComponent(articleId)}${key ? `?${key}=${n}` : ''}`;
}

function rowActor(r, side) {
  const name = r[`${side}_name`] || r[`${side}_text`] || '';
  const code = r[`${side}_code`];
  return [name, code ? h('div', { class: 'code' }, code) : null];
}

function rowPlace(r) {
  return r.place_name ? [r.place_name, r.place_country ? h('div', { class: 'code' }, r.place_country) : null] : '';
}

// In an article's address, event=N and quote=N count from 1, as its tables number them.
const COLUMNS = {
  articles: [
    ['published', (r) => r.published_date || '', 'nowrap'],
    ['title', (r) => h('a', { href: articleHref(r.article_id) }, r.title || r.article_id)],
    ['outlet', (r) => r.outlet || ''], ['language', (r) => r.language || ''],
    ['events', (r) => String(r.n_events), 'num'], ['quotes', (r) => String(r.n_quotes), 'num'],
  ],
  events: [
    ['date', (r) => r.date || '', 'nowrap'], ['source', (r) => rowActor(r, 'source')],
    ['event', (r) => [r.cameo_name || '', h('div', { class: 'code' }, r.cameo)]],
    ['PLOVER', (r) => r.plover || ''],
    ['target', (r) => rowActor(r, 'target')], ['quad', (r) => quadBadge(r.quad_class)],
    ['Goldstein', (r) => signed(r.goldstein), 'num'], ['reports', (r) => String(r.num_mentions), 'num'],
    ['place', rowPlace],
    ['evidence', (r) => {
      const [aid, idx] = (r.first_mention || '').split('/');
      return h('a', { href: articleHref(aid, 'event', Number(idx) + 1) }, short(r.evidence));
    }, 'wide'],
  ],
  mentions: [
    ['date', (r) => r.date || '', 'nowrap'], ['source', (r) => rowActor(r, 'source')],
    ['trigger', (r) => [r.trigger, h('div', { class: 'code' }, r.cameo)]],
    ['PLOVER', (r) => r.plover || ''],
    ['target', (r) => rowActor(r, 'target')], ['quad', (r) => quadBadge(r.quad_class)],
    ['sentence', (r) => h('a', { href: articleHref(r.article_id, 'event', r.idx + 1) }, short(r.sentence)), 'wide'],
  ],
  quotes: [
    ['published', (r) => r.published_date || '', 'nowrap'],
    ['speaker', (r) => rowActor(r, 'speaker')], ['kind', (r) => r.kind],
    ['quote', (r) => h('a', { href: articleHref(r.article_id, 'quote', r.idx + 1) }, short(r.content, 200)), 'wide'],
  ],
};

function resultTable(kind, items) {
  const cols = COLUMNS[kind];
  return h('table', { class: `grid browse-table browse-${kind}` },
    h('thead', {}, h('tr', {}, cols.map(([c, , cls]) => h('th', { scope: 'col', class: cls }, c)))),
    h('tbody', {}, items.map((r) => h('tr', {}, cols.map(([, cell, cls]) => h('td', { class: cls }, cell(r)))))));
}

// -- timeline
async function timeline(params) {
  const form = $('#timeline-form');
  for (const name of ['a', 'b', 'since', 'until']) form.elements[name].value = params.get(name) || '';
  form.elements.by.value = params.get('by') || 'month';  // news of several years: months show them
  form.elements.undirected.checked = params.get('undirected') !== 'false';
  const dyads = await topDyads();
  if (!params.get('a') || !params.get('b')) {
    if (dyads.length) {
      const [a, b] = dyads[0].pair;
      location.replace(`#/timeline?${new URLSearchParams({ a, b, by: form.elements.by.value })}`);
    } else {
      setStatus($('#timeline-status'), 'Choose two actors (codes such as RUS and USA, or names).');
    }
    return;
  }
  await drawTimeline(params);
}

let dyadCache = null;

/** The most frequent country dyads in the store, either direction, from `stats --per dyad`. */
async function topDyads() {
  if (!dyadCache) {
    dyadCache = [];
    try {
      const { data } = await api('/api/stats', { by: 'year', per: 'dyad', by_country: 'true' });
      const counts = new Map();
      for (const r of data.items) {  // dated events only: the timeline cannot show the others
        if (!r.period || !r.source || !r.target || r.source === r.target) continue;
        const pair = [r.source, r.target].sort();
        const key = pair.join('-');
        counts.set(key, { pair, n: ((counts.get(key) || {}).n || 0) + r.events });
      }
      dyadCache = [...counts.values()].sort((x, y) => y.n - x.n).slice(0, 8);
    } catch (e) { /* no store yet: no suggestions */ }
  }
  const box = $('#top-dyads');
  box.replaceChildren(...(dyadCache.length ? [h('span', { class: 'muted' }, 'Frequent dyads: ')] : []),
    ...dyadCache.map((d) => h('a', { class: 'chip', href: `#/timeline?${new URLSearchParams({ a: d.pair[0], b: d.pair[1], by: $('#timeline-form').elements.by.value })}` },
      `${d.pair[0]}–${d.pair[1]} (${d.n})`)));
  return dyadCache;
}

const STEP = { day: [0, 0, 1], week: [0, 0, 7], month: [0, 1, 0], year: [1, 0, 0] };
// Fewer periods than this on the chart and its time axis is widened to this many, so that one
// busy day shows as a bar among empty days rather than as a wall.
const MIN_PERIODS = 14;

function shift(iso, by, times = 1) {
  const d = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  const [y, m, days] = STEP[by];
  d.setUTCFullYear(d.getUTCFullYear() + y * times, d.getUTCMonth() + m * times, d.getUTCDate() + days * times);
  return d.toISOString().slice(0, 10);
}

function middle(from, to) {
  return new Date((Date.parse(`${from}T00:00:00Z`) + Date.parse(`${to}T00:00:00Z`)) / 2).toISOString();
}

function plural(n, word) { return `${n} ${word}${n === 1 ? '' : 's'}`; }

async function drawTimeline(params) {
  const by = params.get('by') || 'month';
  const a = params.get('a');
  const b = params.get('b');
  const undirected = params.get('undirected') !== 'false';
  const status = $('#timeline-status');
  const chart = $('#chart');
  chart.dataset.state = 'loading';
  setStatus(status, 'Loading…', 'busy');
  let items;
  try {
    ({ data: { items } } = await api('/api/stats', {
      dyad: `${a}-${b}`, undirected: undirected ? 'true' : '', by, per: 'none',
      since: params.get('since'), until: params.get('until'),
    }));
  } catch (e) {
    chart.replaceChildren();
    chart.dataset.state = 'error';
    setStatus(status, e.message, 'error');
    return;
  }
  const dated = items.filter((r) => r.period);
  const undated = items.filter((r) => !r.period).reduce((n, r) => n + r.events, 0);
  const total = dated.reduce((n, r) => n + r.events, 0);
  $('#chart-caption').textContent = `Events ${a} ${undirected ? '↔' : '→'} ${b} per ${by}, by quad class (bars, left axis), ` +
    'and their mean Goldstein score (line, right axis, −10 conflict … +10 cooperation).' +
    (undated ? ` ${plural(undated, 'undated event')} not shown.` : '');
  setStatus(status, total ? `${plural(total, 'event')} in ${plural(dated.length, by)}.` : `No dated events between ${a} and ${b}.`);
  timelineTable(dated);
  if (!dated.length) { chart.replaceChildren(); chart.dataset.state = 'empty'; return; }
  const keys = ['neutral', 'verbal_cooperation', 'material_cooperation', 'verbal_conflict', 'material_conflict'];
  // Stacked here rather than by Vega-Lite, which does not stack bars that span [x, x2].
  const bars = [];
  for (const r of dated) {
    let below = 0;
    keys.forEach((k, q) => {
      if (!r[k]) return;
      bars.push({ period: r.period, end: shift(r.period, by), label: r.period, quad: QUADS[q].label, events: r[k], y0: below, y1: below + r[k] });
      below += r[k];
    });
  }
  // `label` keeps the period as text for tooltips (Vega-Lite turns `period` into a timestamp)
  const line = dated.map((r) => ({ label: r.period, mid: middle(r.period, shift(r.period, by)), mean_goldstein: r.mean_goldstein, events: r.events }));
  let first = dated[0].period;
  let last = shift(dated[dated.length - 1].period, by);
  let n = 0;
  for (let d = first; d < last && n < MIN_PERIODS; d = shift(d, by)) n++;
  for (let k = 0; n < MIN_PERIODS; k++, n++) {  // widen both ways in turn
    if (k % 2) first = shift(first, by, -1); else last = shift(last, by);
  }
  const format = by === 'year' ? '%Y' : by === 'month' ? '%b %Y' : '%d %b %Y';
  // Both layers share this x (scale and axis); each names its own field.
  // domainMin/Max rather than domain (Vega-Lite 6 mismerges domain with x2); ISO strings with Z rather
  // than numbers, which vega-interpreter's datetime() reads as a year.
  const scale = { type: 'utc', domainMin: `${first}T00:00:00Z`, domainMax: `${last}T00:00:00Z` };
  const x = { type: 'temporal', title: null, scale, axis: { format, labelAngle: 0, labelOverlap: true } };
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 'container', height: 280, background: null,
    encoding: { x },
    layer: [
      {
        data: { values: bars },
        mark: { type: 'rect', tooltip: true, stroke: '#fff', strokeWidth: 1 },
        encoding: {
          x: { field: 'period' }, x2: { field: 'end' },
          y: { field: 'y0', type: 'quantitative', title: 'events', axis: { tickMinStep: 1 } }, y2: { field: 'y1' },
          color: { field: 'quad', type: 'nominal', title: 'quad class', scale: { domain: QUADS.map((q) => q.label), range: QUADS.map((q) => q.color) }, legend: { orient: 'bottom', columns: chart.clientWidth < 600 ? 2 : 5 } },
          tooltip: [{ field: 'label', type: 'nominal', title: by }, { field: 'quad', title: 'quad class' }, { field: 'events', title: 'events' }],
        },
      },
      {
        data: { values: line },
        mark: { type: 'line', point: { filled: true, size: 60, color: '#222' }, color: '#222', strokeWidth: 2, tooltip: true },
        encoding: {
          x: { field: 'mid' },
          y: { field: 'mean_goldstein', type: 'quantitative', title: 'mean Goldstein', scale: { domain: [-10, 10] } },
          tooltip: [{ field: 'label', type: 'nominal', title: by }, { field: 'mean_goldstein', title: 'mean Goldstein' }, { field: 'events', title: 'events' }],
        },
      },
    ],
    resolve: { scale: { y: 'independent' } },
    config: { font: 'system-ui, sans-serif', view: { stroke: null }, axis: { grid: true, gridColor: '#eee' } },
  };
  try {
    await embed(chart, spec);
    chart.dataset.state = 'ready';
  } catch (e) {
    chart.dataset.state = 'error';
    setStatus(status, `The chart could not be drawn: ${e.message}`, 'error');
  }
}

function timelineTable(rows) {
  $('#timeline-table').replaceChildren(rows.length ? h('table', { class: 'grid' },
    h('caption', { class: 'muted' }, 'The same numbers'),
    h('thead', {}, h('tr', {}, ['period', 'events', ...QUADS.map((q) => q.label), 'mean Goldstein'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, rows.map((r) => h('tr', {},
      h('td', { class: 'nowrap' }, r.period), h('td', { class: 'num' }, String(r.events)),
      ['neutral', 'verbal_cooperation', 'material_cooperation', 'verbal_conflict', 'material_conflict'].map((k) => h('td', { class: 'num' }, String(r[k]))),
      h('td', { class: 'num' }, signed(r.mean_goldstein)))))) : '');
}

// -- facets beside Browse: counts per value, each a link adding it as a filter

const FACET_TITLES = {
  plover: 'PLOVER type', cameo: 'CAMEO root', quad: 'quad class', place: 'country (place)',
  source: 'source country', target: 'target country', outlet: 'outlet', language: 'language',
};

async function showFacets(kind, filters, params, load) {
  const box = $('#facets');
  let data;
  try {
    ({ data } = await api('/api/facets', { ...filters, kind }));
  } catch (e) { box.hidden = true; return; }
  if (load !== loads) return;
  const groups = data.facets.filter((f) => f.values.length);
  box.hidden = !groups.length;
  box.replaceChildren(h('h2', { class: 'facets-title' }, `Counts of these ${kind}`),
    ...groups.map((f) => h('div', { class: 'facet', dataset: { facet: f.facet } },
      h('h3', {}, FACET_TITLES[f.facet] || f.facet),
      h('ul', {}, f.values.map((v) => {
        const label = f.facet === 'quad' ? `${v.value} ${QUADS[v.value].label}` : String(v.value);
        if (!f.filter || params.getAll(f.filter).includes(String(v.value))) {
          return h('li', {}, h('span', {}, label), h('span', { class: 'n' }, String(v.n)));
        }
        const next = new URLSearchParams(params);
        next.delete('offset');
        next.append(f.filter, String(v.value));
        return h('li', {}, h('a', { href: `#/browse?${next}`, dataset: { n: v.n } }, label), h('span', { class: 'n' }, String(v.n)));
      })))));
}

// -- map and network

/** Copies the filter fields of Browse into the map's form (one set of fields, two forms). */
function buildMapForm() {
  const form = $('#map-form');
  const browseForm = $('#browse-form');
  const first = form.firstElementChild;
  for (const name of FILTERS) form.insertBefore(browseForm.elements[name].closest('label').cloneNode(true), first);
  for (const name of FILTERS) form.elements[name].disabled = false;
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const p = new URLSearchParams();
    for (const name of FILTERS) {
      const el = form.elements[name];
      const value = el.type === 'checkbox' ? (el.checked ? 'true' : '') : el.value.trim();
      if (value) p.set(name, value);
    }
    p.set('by', form.elements.by.value);
    location.hash = `#/map?${p}`;
  });
}

const VEGA_OPTIONS = {
  renderer: 'svg', actions: false, ast: true, defaultStyle: false, tooltip: { disableDefaultStyle: true },
};

async function embed(el, spec) {
  // ast + interpreter: Vega evaluates expressions without eval, as the CSP requires.
  return vegaEmbed(el, spec, { ...VEGA_OPTIONS, expr: vega.expressionInterpreter });
}

const GOLDSTEIN_SCALE = { domain: [-10, 0, 10], range: ['#c0392b', '#c4c4c4', '#1f6fb4'] };

async function drawMap(params) {
  const load = ++loads;
  const form = $('#map-form');
  for (const name of FILTERS) {
    const el = form.elements[name];
    if (el.type === 'checkbox') el.checked = params.get(name) === 'true'; else el.value = params.get(name) || '';
  }
  const by = params.get('by') === 'month' ? 'month' : 'year';
  form.elements.by.value = by;
  const filters = filterQuery(params);
  const status = $('#map-status');
  const map = $('#map');
  map.dataset.state = 'loading';
  $('#map-place').hidden = true;
  setStatus(status, 'Loading…', 'busy');
  let places;
  let network;
  try {
    const [p, n] = await Promise.all([api('/api/places', filters), api('/api/network', filters)]);
    if (load !== loads) return;
    places = p.data;
    network = n.data.items;
    periodChips(params, filters, by);
  } catch (e) {
    map.replaceChildren();
    map.dataset.state = 'error';
    setStatus(status, e.message, 'error');
    return;
  }
  const browseLink = eventsHref(filters);
  setStatus(status, '');
  $('#map-caption').replaceChildren(
    `${plural(places.placed, 'event')} of ${places.events} placed at ${plural(places.items.length, 'place')}` +
    ' (circle area: events; colour: their mean Goldstein, red conflict … blue cooperation); grey dots: ' +
    `${plural(places.named.length, 'place')} the reporting articles name. ` +
    `${places.events - places.placed} without a place are not on the map: `, h('a', { href: browseLink }, `all ${places.events} in Browse`), '.');
  mapTable(places.items, params);
  const narrow = map.clientWidth < 600;
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    // a phone gets a map as high as its width allows, and the colour legend alone (under it)
    width: 'container', height: narrow ? Math.round(map.clientWidth * 0.55) : 430, background: null,
    projection: { type: 'equalEarth' },
    layer: [
      {
        data: { url: '/static/vendor/world-atlas/countries-110m.json', format: { type: 'topojson', feature: 'countries' } },
        mark: { type: 'geoshape', fill: '#e4e8ec', stroke: '#fff', strokeWidth: 0.6 },
      },
      {  // the places the reporting articles name: small grey dots under the events' circles
        name: 'named',
        data: { values: places.named.map((p) => ({ ...p, label: [p.name, p.country].filter(Boolean).join(', ') })) },
        mark: { type: 'circle', color: '#57606a', opacity: 0.45, size: narrow ? 10 : 18, tooltip: true },
        encoding: {
          longitude: { field: 'lon', type: 'quantitative' }, latitude: { field: 'lat', type: 'quantitative' },
          tooltip: [{ field: 'label', title: 'named in the articles' }, { field: 'mentions', title: 'times' }, { field: 'articles', title: 'articles' }],
        },
      },
      {
        name: 'events',
        data: { values: places.items.map((p, i) => ({ ...p, i, label: [p.name, p.country].filter(Boolean).join(', ') })) },
        mark: { type: 'circle', tooltip: true, stroke: '#333', strokeWidth: 0.6, opacity: 0.85, cursor: 'pointer' },
        encoding: {
          longitude: { field: 'lon', type: 'quantitative' }, latitude: { field: 'lat', type: 'quantitative' },
          size: { field: 'events', type: 'quantitative', scale: { range: narrow ? [20, 400] : [40, 1200] }, title: 'events', legend: narrow ? null : { orient: 'bottom-left' } },
          color: { field: 'mean_goldstein', type: 'quantitative', scale: GOLDSTEIN_SCALE, title: 'mean Goldstein', legend: { orient: narrow ? 'bottom' : 'bottom-right' } },
          tooltip: [{ field: 'label', title: 'place' }, { field: 'events', title: 'events' }, { field: 'mean_goldstein', title: 'mean Goldstein' }],
        },
      },
    ],
    config: { font: 'system-ui, sans-serif', view: { stroke: null } },
  };
  try {
    const result = await embed(map, spec);
    result.view.addEventListener('click', (ev, item) => {
      if (item && item.datum && item.datum.i != null && places.items[item.datum.i]) showPlace(places.items[item.datum.i], params);
    });
    map.dataset.state = 'ready';
  } catch (e) {
    map.dataset.state = 'error';
    setStatus(status, `The map could not be drawn: ${e.message}`, 'error');
  }
  await drawNetwork(network, params);
}

/** Events per period, each a link narrowing the map to it (since/until), and one for all time. */
async function periodChips(params, filters, by) {
  const box = $('#map-periods');
  const rest = { ...filters };
  delete rest.since;
  delete rest.until;
  const { data } = await api('/api/stats', { ...rest, by, per: 'none' });
  const chosen = params.get('since');
  const link = (since, until) => {
    const p = new URLSearchParams(params);
    p.delete('since'); p.delete('until');
    if (since) { p.set('since', since); p.set('until', until); }
    return `#/map?${p}`;
  };
  const chips = data.items.filter((r) => r.period).map((r) => {
    const since = r.period.slice(0, 10);
    const until = shift(since, by, 1);
    const last = new Date(Date.parse(`${until}T00:00:00Z`) - 86400000).toISOString().slice(0, 10);
    const label = by === 'year' ? since.slice(0, 4) : since.slice(0, 7);
    const current = chosen === since && params.get('until') === last;
    return h('a', { class: `chip${current ? ' current' : ''}`, href: link(since, last), 'aria-current': current ? 'true' : null }, `${label} (${r.events})`);
  });
  const undated = data.items.filter((r) => !r.period).reduce((n, r) => n + r.events, 0);
  box.replaceChildren(h('span', { class: 'muted' }, `Events per ${by}: `),
    h('a', { class: `chip${chosen ? '' : ' current'}`, href: link(null) }, 'all time'), ...chips,
    undated ? h('span', { class: 'muted' }, ` · ${undated} undated`) : '');
}

/** Browse's events for these filters (API parameters, lists for repeated ones), plus ``more``. */
function eventsHref(filters, more = {}) {
  const p = new URLSearchParams({ kind: 'events' });
  for (const [key, values] of [...Object.entries(filters), ...Object.entries(more)]) {
    for (const v of [].concat(values)) p.append(key, v);
  }
  return `#/browse?${p}`;
}

function evidenceLink(e) {
  const [aid, idx] = (e.first_mention || '').split('/');
  return h('a', { href: articleHref(aid, 'event', Number(idx) + 1) }, short(e.evidence, 160));
}

/** A place's events (the first five), each linked to its evidence sentence. */
function showPlace(p, params) {
  const box = $('#map-place');
  const all = new URLSearchParams(params);
  all.delete('by');
  all.set('kind', 'events');
  all.append('place', p.name || p.country);
  box.hidden = false;
  box.replaceChildren(
    h('h2', {}, [p.name, p.country].filter(Boolean).join(', '), ' ', h('span', { class: 'muted' }, `· ${plural(p.events, 'event')}, mean Goldstein ${signed(p.mean_goldstein)}`)),
    h('ul', { class: 'place-events' }, p.examples.map((e) => h('li', {},
      h('span', { class: 'code' }, `${e.date || 'undated'} · ${e.cameo_name || ''}${e.plover ? ` · ${e.plover}` : ''} `), quadBadge(e.quad_class), ' ', evidenceLink(e)))),
    p.events > p.examples.length ? h('p', {}, h('a', { href: `#/browse?${all}` }, `all events mentioning ${p.name || p.country}`)) : '');
  box.scrollIntoView({ block: 'nearest' });
}

function mapTable(items, params) {
  $('#map-table').replaceChildren(items.length ? h('table', { class: 'grid places-table' },
    h('caption', { class: 'muted' }, 'The places on the map'),
    h('thead', {}, h('tr', {}, ['place', 'country', 'events', 'mean Goldstein', 'first event'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, items.slice(0, 50).map((p) => h('tr', {},
      h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => showPlace(p, params) }, p.name || p.country)),
      h('td', { class: 'code' }, p.country || ''), h('td', { class: 'num' }, String(p.events)),
      h('td', { class: 'num' }, signed(p.mean_goldstein)), h('td', { class: 'wide' }, p.examples.length ? evidenceLink(p.examples[0]) : ''))))) : '');
}

/** The dyads on a circle: an edge per dyad (width: events, colour: mean Goldstein), a dot near its target. */
async function drawNetwork(items, params) {
  const el = $('#network');
  el.dataset.state = 'loading';
  const filters = filterQuery(params);
  // the edge's dyad replaces a dyad filter rather than joining it (several dyads match any of them)
  const { dyad, undirected, ...rest } = filters;
  const dyadHref = (d) => eventsHref(rest, { dyad: `${d.source}-${d.target}` });
  $('#network-table').replaceChildren(items.length ? h('table', { class: 'grid network-table' },
    h('thead', {}, h('tr', {}, ['source', 'target', 'events', 'mean Goldstein'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, items.map((d) => h('tr', {},
      h('td', {}, d.source), h('td', {}, d.target),
      h('td', { class: 'num' }, h('a', { href: dyadHref(d), title: `the events ${d.source} → ${d.target}` }, String(d.events))),
      h('td', { class: 'num' }, signed(d.mean_goldstein)))))) : '');
  if (!items.length) {
    el.replaceChildren();
    el.dataset.state = 'empty';
    $('#network-caption').textContent = 'No events with both actors coded.';
    return;
  }
  const weight = new Map();
  for (const d of items) for (const a of [d.source, d.target]) weight.set(a, (weight.get(a) || 0) + d.events);
  const actors = [...weight.keys()].sort((x, y) => weight.get(y) - weight.get(x) || (x < y ? -1 : 1));
  const at = new Map(actors.map((a, i) => {
    const angle = (2 * Math.PI * i) / actors.length - Math.PI / 2;
    return [a, { x: Math.cos(angle), y: Math.sin(angle) }];
  }));
  const edges = items.map((d) => {
    const s = at.get(d.source);
    const t = at.get(d.target);
    // A → B and B → A side by side: each is shifted a little to its left
    const len = Math.hypot(t.x - s.x, t.y - s.y) || 1;
    const nx = ((s.y - t.y) / len) * 0.025;
    const ny = ((t.x - s.x) / len) * 0.025;
    return { ...d, x: s.x + nx, y: s.y + ny, x2: t.x + nx, y2: t.y + ny, hx: s.x + (t.x - s.x) * 0.85 + nx, hy: s.y + (t.y - s.y) * 0.85 + ny, href: dyadHref(d), dyad: `${d.source} → ${d.target}` };
  });
  const nodes = actors.map((a) => ({ actor: a, events: weight.get(a), ...at.get(a), lx: at.get(a).x * 1.13, ly: at.get(a).y * 1.13 }));
  // every layer names the same domain (Vega-Lite 6 fails to merge a domain with an unset one)
  const axis = (f) => ({ field: f, type: 'quantitative', scale: { domain: [-1.25, 1.25] }, axis: null });
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 'container', height: 460, background: null,
    layer: [
      {
        data: { values: edges },
        mark: { type: 'rule', tooltip: true, cursor: 'pointer', strokeCap: 'round', opacity: 0.9 },
        encoding: {
          x: axis('x'), y: axis('y'), x2: { field: 'x2' }, y2: { field: 'y2' },
          strokeWidth: { field: 'events', type: 'quantitative', scale: { range: [1.5, 12] }, title: 'events', legend: { orient: 'bottom-left' } },
          color: { field: 'mean_goldstein', type: 'quantitative', scale: GOLDSTEIN_SCALE, title: 'mean Goldstein', legend: { orient: 'bottom-right' } },
          tooltip: [{ field: 'dyad', title: 'dyad' }, { field: 'events', title: 'events' }, { field: 'mean_goldstein', title: 'mean Goldstein' }],
        },
      },
      {
        data: { values: edges },
        mark: { type: 'point', filled: true, shape: 'circle', size: 40, color: '#333' },
        encoding: { x: axis('hx'), y: axis('hy') },
      },
      {
        data: { values: nodes },
        mark: { type: 'circle', color: '#24292f', opacity: 1 },
        encoding: { x: axis('x'), y: axis('y'), size: { value: 90 }, tooltip: [{ field: 'actor' }, { field: 'events' }] },
      },
      {
        data: { values: nodes },
        mark: { type: 'text', fontWeight: 600, fontSize: 12 },
        encoding: { x: axis('lx'), y: axis('ly'), text: { field: 'actor' } },
      },
    ],
    config: { font: 'system-ui, sans-serif', view: { stroke: null } },
  };
  $('#network-caption').textContent = `The ${plural(items.length, 'dyad')} with most events: an edge from source to target (dot at the target end), ` +
    'width by events, colour by mean Goldstein (red conflict … blue cooperation). Click an edge, or a count in the table, for its events.';
  try {
    const result = await embed(el, spec);
    result.view.addEventListener('click', (ev, item) => {
      if (item && item.datum && item.datum.href) location.hash = item.datum.href;
    });
    el.dataset.state = 'ready';
  } catch (e) {
    el.dataset.state = 'error';
    $('#network-caption').textContent = `The network could not be drawn: ${e.message}`;
  }
}

// ------------------------------------------------------------------ start

let storeInfo = null;

async function refreshStoreInfo() {
  try {
    const { data } = await api('/api/health');
    storeInfo = data.store.available ? data.store : null;
    $('#store-status').textContent = storeInfo
      ? `store: ${storeInfo.articles} articles, ${storeInfo.events} events`
      : 'no store yet';
    $('#store-status').title = data.store.detail || data.store.path;
    dyadCache = null;
  } catch (e) {
    $('#store-status').textContent = 'server not reachable';
  }
}

document.addEventListener('DOMContentLoaded', async () => {
  $('#extract-form').addEventListener('submit', extract);
  // The last thing given is what gets coded: a chosen file clears the text, typing or pasting clears the file.
  $('#input-file').addEventListener('change', () => { if ($('#input-file').files.length) $('#input-text').value = ''; });
  $('#input-text').addEventListener('input', () => { if ($('#input-file').files.length) $('#input-file').value = ''; });
  $('#browse-form').elements.plover.append(...PLOVER_TYPES.map((t) => h('option', { value: t }, t)));
  buildMapForm();
  $('#export-format').addEventListener('change', () => {
    const params = new URLSearchParams(location.hash.split('?')[1] || '');
    updateExport(params.get('kind') || 'articles', filterQuery(params));
  });
  $('#browse-form').addEventListener('submit', (ev) => { ev.preventDefault(); location.hash = `#/browse?${browseParams()}`; });
  $('#browse-form').elements.kind.addEventListener('change', enableFilters);
  $('#timeline-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = ev.target.elements;
    const p = new URLSearchParams({ a: f.a.value.trim(), b: f.b.value.trim(), by: f.by.value });
    if (!f.undirected.checked) p.set('undirected', 'false');
    if (f.since.value) p.set('since', f.since.value);
    if (f.until.value) p.set('until', f.until.value);
    location.hash = `#/timeline?${p}`;
  });
  window.addEventListener('hashchange', route);
  await refreshStoreInfo();
  await route();
});
