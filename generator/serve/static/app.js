// kehoach serve: forms generated from the plan's JSON Schema, live validation and page preview.
// Plain JavaScript, no build step. The data edited here is the same JSON the loader reads from
// the YAML file; the server merges it back into the file keeping comments and key order.
'use strict';

const params = new URLSearchParams(location.search);
const TOKEN = params.get('t') || sessionStorage.getItem('kehoach-token') || '';
if (params.get('t')) {
  sessionStorage.setItem('kehoach-token', TOKEN);
  params.delete('t');
  history.replaceState(null, '', location.pathname + (params.toString() ? '?' + params : ''));
}

const S = {
  schema: null, defs: {}, name: null, data: null, digest: null, dirty: false,
  fields: new Map(), closed: new Set(), problems: [],
  vseq: 0, vtimer: 0, ptimer: 0, pbusy: false, pagain: false, pseq: 0,
};

// --- labels: Vietnamese names for known fields; a new field falls back to its schema description
const LABELS = {
  type: 'Loại văn bản', agency: 'Cơ quan ban hành', parent: 'Cơ quan chủ quản', name: 'Tên',
  short_name: 'Tên dùng trong câu', abbreviation: 'Chữ viết tắt', place: 'Địa danh', number: 'Số',
  date: 'Ngày', subject: 'Trích yếu', subtitle: 'Dòng dưới', units: 'Đơn vị', references: 'Văn bản được dẫn',
  grounds: 'Căn cứ', opening: 'Đoạn mở đầu', sections: 'Các mục (I, II, …)', title: 'Tiêu đề',
  paragraphs: 'Đoạn văn', clauses: 'Khoản', blocks: 'Nội dung', closing: 'Câu kết', recipients: 'Nơi nhận',
  archive: 'Lưu', signer: 'Người ký', co_signers: 'Người ký liên tịch', co_issuers: 'Cơ quan cùng ban hành',
  appendices: 'Phụ lục', draft_mark: 'Dấu dự thảo', symbol: 'Ký hiệu',
  party: 'Văn bản của Đảng', issuer: 'Cơ quan ban hành', authority: 'Thẩm quyền ký (KT, TM, …)',
  head_title: 'Chức vụ người đứng đầu', collective: 'Tập thể lãnh đạo', lines: 'Các dòng', text: 'Nội dung',
  items: 'Các ý (-)', points: 'Các điểm a), b)', clause: 'Khoản', heading: 'Tiêu đề', table: 'Bảng',
  columns: 'Cột', rows: 'Hàng', header: 'Có hàng tiêu đề', numbered: 'Đánh số thứ tự', numbering: 'Cách đánh số',
  group_style: 'Kiểu dòng nhóm', group_caps: 'Tên nhóm in hoa', group: 'Tên nhóm', width: 'Độ rộng',
  align: 'Căn lề', span: 'Gộp cột', rowspan: 'Gộp hàng', bold: 'In đậm', upper: 'In hoa tiêu đề',
  reference_line: 'Dòng "Kèm theo …"', orientation: 'Khổ giấy', groups: 'Nhóm nhiệm vụ', tasks: 'Nhiệm vụ',
  content: 'Nội dung', lead: 'Chủ trì', support: 'Phối hợp', time: 'Thời gian', sheet: 'Bảng tính',
  part: 'Mở phần mới (Phần, Chương)', cite: 'Khóa văn bản', full: 'In đủ', year: 'Năm', month: 'Tháng', day: 'Ngày',
};
const BRANCHES = {
  Items: 'Các ý (-)', Item: 'Ý có ý con (+)', Points: 'Các điểm a), b)', Point: 'Điểm có nội dung con',
  Clause: 'Khoản', TableBlock: 'Bảng', Heading: 'Tiêu đề phần', Group: 'Nhóm hàng', CellLines: 'Nhiều dòng',
  CellSpec: 'Ô định dạng (gộp ô…)', Cite: 'Trích dẫn', IssueDate: 'Năm, tháng, ngày riêng', Column: 'Cột có định dạng',
};
const ENUMS = {
  landscape: 'khổ ngang', portrait: 'khổ dọc', left: 'trái', center: 'giữa', right: 'phải',
  justify: 'đều hai bên', restart: 'đánh lại từ 1 mỗi nhóm', continue: 'nối tiếp qua các nhóm',
  merged: 'một ô gộp', split: 'tách theo cột',
};
// Where a new item starts (a khoản with a title and content, not an empty object).
const SEEDS = {
  Clause: () => ({ clause: '', blocks: [] }), Heading: () => ({ heading: '' }),
  Items: () => ({ items: [''] }), Points: () => ({ points: [''] }), Section: () => ({ title: '', blocks: [''] }),
  Group: () => ({ group: '', rows: [] }), Item: () => ({ text: '', items: [''] }), Point: () => ({ text: '', blocks: [] }),
  TaskGroup: () => ({ title: '', tasks: [] }), Task: () => ({ content: '' }), Unit: () => ({ name: '' }), Reference: () => ({ type: 'Kế hoạch' }),
  Cite: () => ({ cite: '' }),
};

// --- talking to the server
async function api(method, url, body) {
  const headers = { 'X-Kehoach-Token': TOKEN };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    return { ok: false, status: 0, json: { error: 'mất kết nối tới trình soạn thảo (chương trình chạy trình soạn thảo trên máy đã dừng?)' } };
  }
  let json = {};
  try { json = await res.json(); } catch (e) { /* images, empty bodies */ }
  return { ok: res.ok, status: res.status, json };
}

// Dates as a clerk types them: 20/03/2024 or 20/3/2024 (and 03/2024 for a draft's month) become the
// data file's form (2024-03-20, 2024-03) before they are sent; anything else is sent as typed and
// the server's message says why it is not a date.
function isoDate(text) {
  const t = String(text).trim();
  let m = t.match(/^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/);
  if (m) return `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}`;
  m = t.match(/^(\d{1,2})[/.-](\d{4})$/);
  if (m) return `${m[2]}-${m[1].padStart(2, '0')}`;
  return text;
}
// And shown the same way: 2024-03-20 as 20/03/2024, 2024-03 as 03/2024.
function shownDate(v) {
  if (typeof v !== 'string') return v ?? '';
  let m = v.trim().match(/^(\d{4})-(\d{1,2})-(\d{1,2})$/);
  if (m) return `${m[3].padStart(2, '0')}/${m[2].padStart(2, '0')}/${m[1]}`;
  m = v.trim().match(/^(\d{4})-(\d{1,2})$/);
  if (m) return `${m[2].padStart(2, '0')}/${m[1]}`;
  return v;
}

function status(text) { document.getElementById('status').textContent = text; }
function pstatus(text) { document.getElementById('preview-status').textContent = text; }

// --- schema helpers
function deref(s) {
  let guard = 0;
  while (s && s.$ref && guard++ < 32) {
    const name = s.$ref.split('/').pop();
    const { $ref, ...rest } = s;
    s = { ...S.defs[name], ...rest, _def: name };
  }
  return s || {};
}
function isObj(v) { return v !== null && typeof v === 'object' && !Array.isArray(v); }
function clone(v) { return v === undefined ? undefined : JSON.parse(JSON.stringify(v)); }
function isPieceSchema(s) {
  s = deref(s);
  const r = s.required || [];
  return r.length === 1 && STYLED_KEYS.includes(r[0]);
}
function isPiecesArray(s) {
  s = deref(s);
  if (s.type !== 'array' || !s.items) return false;
  const it = deref(s.items);
  return !!(it.anyOf && it.anyOf.some(isPieceSchema));
}
function nonNull(s) { return s.anyOf.map(deref).filter(b => b.type !== 'null'); }
function kindOf(s) {
  s = deref(s);
  if (s.anyOf) {
    const all = s.anyOf.map(deref);
    const nn = nonNull(s);
    if (nn.length < all.length) return 'optional';
    if (nn.length === 2 && nn[0].type === 'string' && !nn[0].pattern && isPiecesArray(nn[1])) return 'inline';
    if (nn.length === 2 && nn[0].type === 'string' && nn[1].type === 'array' && deref(nn[1].items || {}).type === 'string') return 'lines';
    return 'union';
  }
  if (s.enum) return 'enum';
  if ('const' in s) return 'const';
  if (isPiecesArray(s)) return 'pieces';
  return s.type || 'any';
}
function optionalInner(s) {
  const nn = nonNull(s);
  const keep = { title: s.title, description: s.description };
  return nn.length === 1 ? { ...nn[0], ...keep } : { anyOf: nn, ...keep };
}
function branches(s) {
  s = deref(s);
  const k = kindOf(s);
  if (!s.anyOf || k === 'inline' || k === 'lines') return [s];
  if (k === 'optional') return branches(optionalInner(s));
  return s.anyOf.flatMap(branches);
}
// Drafts and signing copies kehoach made, untouched since, now beside the issued file: named so that
// no one sends one, never removed (the command line says the same).
const STALE = 'Dự thảo, bản trình ký cũ (chưa ai sửa) vẫn nằm cạnh bản phát hành; hãy xóa hoặc chuyển đi để không gửi nhầm:';
// The piece kinds of a paragraph (generator/plan/model.py PIECES): styled text, a citation, a note.
const STYLED_KEYS = ['bold', 'italic', 'bold_italic', 'sup', 'sub'];
const NOTE_KEYS = ['footnote', 'endnote'];
const PIECE_KEYS = [...STYLED_KEYS, 'cite', ...NOTE_KEYS];
// A note's words without their looks (its text may be pieces: {italic: …}, {sup: …}).
function noteText(v) {
  if (typeof v === 'string') return v;
  return Array.isArray(v) ? v.map(x => typeof x === 'string' ? x : isObj(x) ? String(Object.values(x)[0]) : '').join('') : '';
}
function isPieceValue(p) { return typeof p === 'string' || (isObj(p) && PIECE_KEYS.some(k => k in p)); }
function matches(b, v) {
  b = deref(b);
  const k = kindOf(b);
  if (k === 'inline') return typeof v === 'string' || (Array.isArray(v) && v.every(isPieceValue));
  if (k === 'lines') return typeof v === 'string' || (Array.isArray(v) && v.every(x => typeof x === 'string'));
  if (k === 'optional') return v === null || v === undefined || matches(optionalInner(b), v);
  if (k === 'union') return branches(b).some(x => matches(x, v));
  if (k === 'const') return v === b.const;
  if (k === 'enum') return b.enum.includes(v);
  if (k === 'pieces') return Array.isArray(v) && v.every(isPieceValue);
  switch (b.type) {
    case 'string': return typeof v === 'string';
    case 'integer': return Number.isInteger(v);
    case 'number': return typeof v === 'number';
    case 'boolean': return typeof v === 'boolean';
    case 'null': return v === null;
    case 'array': return Array.isArray(v);
    case 'object':
      if (!isObj(v)) return false;
      if (!(b.required || []).every(r => r in v)) return false;
      if (b.additionalProperties === false && b.properties) return Object.keys(v).every(x => x in b.properties);
      return true;
  }
  return true;
}
function dflt(s) {
  s = deref(s);
  if (s._def && SEEDS[s._def]) return SEEDS[s._def]();
  const k = kindOf(s);
  if (s.default !== undefined && s.default !== null) return clone(s.default);
  if (k === 'optional') return dflt(optionalInner(s));
  if (k === 'inline' || k === 'lines' || k === 'pieces') return '';
  if (k === 'union') return dflt(branches(s)[0]);
  if (k === 'const') return s.const;
  if (k === 'enum') return s.enum[0];
  switch (s.type) {
    case 'string': return '';
    case 'integer': return s.minimum ?? 1;
    case 'number': return s.minimum ?? 1;
    case 'boolean': return false;
    case 'null': return null;
    case 'array':
      if (s.prefixItems) return s.prefixItems.map(dflt);
      return Array.from({ length: s.minItems || 0 }, () => dflt(s.items || {}));
    case 'object': {
      const o = {};
      for (const r of s.required || []) o[r] = dflt((s.properties || {})[r] || {});
      return o;
    }
  }
  return '';
}
function branchLabel(b) {
  b = deref(b);
  const k = kindOf(b);
  if (k === 'inline') return 'Đoạn văn';
  if (k === 'lines') return 'Dòng chữ';
  const named = BRANCHES[b._def] || BRANCHES[b.title];
  if (named) return named;
  if (b.type === 'array' && JSON.stringify(b.items || {}).includes('CellSpec')) return 'Hàng (các ô)';
  return { string: 'Chữ', integer: 'Số', number: 'Số', boolean: 'Có/không', array: 'Danh sách', null: '(trống)' }[b.type]
    || b.title || 'Giá trị';
}
function fieldLabel(key, s) {
  if (LABELS[key]) return LABELS[key];
  const d = (s && (s.description || s.title)) || key;
  return d.split(/[;:(]/)[0].trim().slice(0, 60) || key;
}
function summary(v) {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.map(summary).filter(Boolean).join(' ');
  if (isObj(v)) {
    for (const k of ['title', 'clause', 'heading', 'group', 'text', 'content', 'name', ...STYLED_KEYS, 'cite', 'items', 'points', 'blocks']) {
      if (k in v && v[k] != null) { const t = summary(v[k]); if (t) return t; }
    }
    if (v.table) return 'Bảng';
  }
  return '';
}
const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII', 'XIII', 'XIV', 'XV'];

// --- DOM helpers
function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}
function button(text, title, onclick, cls) {
  const b = el('button', cls, text);
  b.type = 'button';
  if (title) b.title = title;
  b.addEventListener('click', onclick);
  return b;
}
// Drawn, not a character: U+29C9 (two joined squares) has no glyph in the fonts of a Debian desktop (an empty box in Chromium).
const COPY_ICON = '<svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" fill="none" stroke="currentColor" '
  + 'stroke-width="1.6"><rect x="5.5" y="5.5" width="8" height="8" rx="1"/><path d="M3.5 10.5h-1v-8h8v1"/></svg>';
function iconButton(svg, title, onclick) {
  const b = button('', title, onclick);
  b.innerHTML = svg;
  b.setAttribute('aria-label', title);
  return b;
}
function esc(t) { return String(t).replace(/[&<>"]/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c])); }

// --- the form
function rerender() {
  const scroller = document.getElementById('editor');
  const top = scroller.scrollTop;
  const form = document.getElementById('form');
  S.fields = new Map();
  unitsDatalist();
  form.replaceChildren(renderObject(S.schema, S, 'data', '', true));
  scroller.scrollTop = top;
  showProblems(S.problems);
}
function changed(structural) {
  S.dirty = true;
  document.getElementById('save').disabled = false;
  status('Chưa lưu');
  if (structural) rerender();
  clearTimeout(S.vtimer);
  S.vtimer = setTimeout(validateNow, 350);
}
function join(path, key) { return typeof key === 'number' ? `${path}[${key}]` : (path ? `${path}.${key}` : String(key)); }

// One field: label, editor, remove button, its error messages; registered under its data path.
function field(label, hint, path, ctl, onRemove) {
  const f = el('div', 'field');
  f.dataset.path = path;
  const lab = el('label', '', label);
  if (hint) { lab.title = hint; }
  const row = el('div', 'row');
  const c = el('div', 'ctl');
  c.append(ctl);
  row.append(c);
  if (onRemove) row.append(button('✕', 'Bỏ trường này', onRemove, 'rm'));
  f.append(lab, row, el('div', 'errs'));
  S.fields.set(path, f);
  return f;
}

function editor(s, holder, key, path) {
  s = deref(s);
  const v = holder[key];
  const set = x => { holder[key] = x; changed(false); };
  switch (kindOf(s)) {
    case 'optional': {
      const inner = optionalInner(s);
      if (v === null || v === undefined) {
        return button('+ Điền', 'Thêm giá trị', () => { holder[key] = dflt(inner); changed(true); }, 'add');
      }
      return editor(inner, holder, key, path);
    }
    case 'inline': case 'pieces': return inlineEditor(v, set);
    case 'lines': return linesEditor(v, set);
    case 'union': return unionEditor(s, holder, key, path);
    case 'enum': {
      const sel = el('select');
      for (const o of s.enum) { const op = el('option', '', ENUMS[o] ? `${o} — ${ENUMS[o]}` : String(o)); op.value = JSON.stringify(o); sel.append(op); }
      if (!s.enum.includes(v)) { const op = el('option', '', String(v ?? '')); op.value = JSON.stringify(v ?? null); sel.prepend(op); }
      sel.value = JSON.stringify(v ?? null);
      sel.addEventListener('change', () => set(JSON.parse(sel.value)));
      return sel;
    }
    case 'const': return el('span', 'hint', String(s.const));
    case 'string': {
      const i = el('input'); i.type = 'text'; i.value = v ?? '';
      const date = s.format === 'date' || (s.pattern && /\\d\{4\}/.test(s.pattern));
      if (date) {
        i.value = shownDate(v);
        i.classList.add('date');
        i.placeholder = s.format === 'date' ? 'ngày/tháng/năm, ví dụ 20/03/2024' : '20/03/2024, hoặc 03/2024 khi chưa có ngày';
        i.addEventListener('input', () => set(isoDate(i.value)));
      } else i.addEventListener('input', () => set(i.value));
      return i;
    }
    case 'integer': case 'number': {
      const i = el('input'); i.type = 'text'; i.inputMode = 'numeric'; i.value = v ?? '';
      i.addEventListener('input', () => {
        const t = i.value.trim();
        const re = s.type === 'integer' ? /^-?\d+$/ : /^-?\d+(\.\d+)?$/;
        set(re.test(t) ? Number(t) : t);  // not a number: sent as typed, the message says why
      });
      return i;
    }
    case 'boolean': {
      const i = el('input'); i.type = 'checkbox'; i.checked = !!v;
      i.addEventListener('change', () => set(i.checked));
      return i;
    }
    case 'array': return Array.isArray(v) ? arrayEditor(s, v, path) : rawEditor(holder, key);
    case 'object':
      if (!isObj(v)) return rawEditor(holder, key);
      return renderObject(s, holder, key, path, false);
  }
  return rawEditor(holder, key);
}

// A value the form cannot show (a misspelt key, a wrong shape): as JSON, editable, never lost.
function rawEditor(holder, key) {
  const t = el('textarea');
  t.rows = 2;
  t.value = JSON.stringify(holder[key]);
  t.title = 'Giá trị không khớp biểu mẫu, hiện dạng JSON';
  t.addEventListener('input', () => { try { holder[key] = JSON.parse(t.value); changed(false); } catch (e) { /* typing */ } });
  return t;
}

function renderObject(s, holder, key, path, top) {
  s = deref(s);
  const v = holder[key];
  const props = s.properties || {};
  const req = new Set(s.required || []);
  // A task is a row of the catalogue: every column is shown, filled in or not.
  const task = s._def === 'Task';
  const box = top ? el('div', 'top') : el('fieldset', task ? 'task' : '');
  const keys = Object.keys(props).filter(k => task || k in v || req.has(k));
  for (const k of Object.keys(v)) if (!(k in props) && !s.additionalProperties) keys.push(k);
  for (const k of keys) {
    const ps = props[k] ? deref(props[k]) : null;
    const p = join(path, k);
    let ctl;
    if (task && UNIT_COLUMNS.includes(k)) ctl = unitsEditor(v, k);
    else if (task && !req.has(k) && (v[k] == null || typeof v[k] === 'string')) ctl = looseText(v, k);
    else if (!(k in v)) ctl = button('+ Điền (bắt buộc)', 'Trường bắt buộc còn thiếu', () => { v[k] = dflt(ps); changed(true); }, 'add');
    else ctl = ps ? editor(ps, v, k, p) : rawEditor(v, k);
    const remove = task || req.has(k) || !(k in v) ? null : () => { delete v[k]; changed(true); };
    box.append(field(ps ? fieldLabel(k, ps) : `${k} (không có trong mẫu dữ liệu)`, ps && ps.description, p, ctl, remove));
  }
  if (isObj(s.additionalProperties)) box.append(mapEditor(deref(s.additionalProperties), v, path));
  const missing = task ? [] : Object.keys(props).filter(k => !(k in v));
  if (missing.length) {
    const sel = el('select', 'add');
    sel.append(el('option', '', '+ Thêm trường…'));
    for (const k of missing) { const o = el('option', '', fieldLabel(k, deref(props[k]))); o.value = k; o.title = deref(props[k]).description || ''; sel.append(o); }
    sel.addEventListener('change', () => { if (sel.value) { v[sel.value] = dflt(props[sel.value]); changed(true); } });
    box.append(sel);
  }
  return box;
}
// --- a task's units: picked from the plan's units (kept as their keys), or typed freely
const UNIT_COLUMNS = ['lead', 'support'];
const OTHER_UNIT = '*khac*';  // the picker's "type a name" choice (no unit key looks like this)
function planUnits() { return S.data && isObj(S.data.units) ? S.data.units : {}; }
function unitName(key) {
  const u = planUnits()[key];
  const name = isObj(u) ? summary(u.name) : '';
  return name || key;
}
// A typed name that is a unit of the plan (its key, name or abbreviation) is that unit's key.
function unitKey(text) {
  const t = String(text).trim().toLowerCase();
  if (!t) return null;
  for (const [k, u] of Object.entries(planUnits())) {
    if (k.toLowerCase() === t) return k;
    if (isObj(u) && [summary(u.name), u.abbreviation].some(x => typeof x === 'string' && x.trim().toLowerCase() === t)) return k;
  }
  return null;
}
function unitsEditor(holder, key) {
  const list = Array.isArray(holder[key]) ? holder[key] : holder[key] == null ? [] : [holder[key]];
  const units = planUnits();
  const box = el('div', 'units');
  const commit = structural => {
    for (let j = list.length - 1; j >= 0; j--) if (typeof list[j] === 'string' && !list[j].trim()) list.splice(j, 1);
    if (list.length) holder[key] = list; else delete holder[key];
    changed(structural);
  };
  list.forEach((ref, i) => {
    if (typeof ref === 'string' && ref in units) {
      const chip = el('span', 'chip', unitName(ref));
      chip.title = `Đơn vị "${ref}" của kế hoạch`;
      chip.dataset.unit = ref;
      chip.append(button('✕', 'Bỏ đơn vị này', () => { list.splice(i, 1); commit(true); }));
      box.append(chip);
      return;
    }
    const free = el('span', 'chip free');
    const input = el('input');
    input.type = 'text';
    input.value = typeof ref === 'string' ? ref : JSON.stringify(ref);
    input.title = 'Tên đơn vị ghi tự do (không có trong mục Đơn vị của kế hoạch)';
    input.setAttribute('list', 'kehoach-units');
    input.addEventListener('input', () => { list[i] = input.value; holder[key] = list; if (input.value.trim()) changed(false); });
    input.addEventListener('change', () => {
      const k = unitKey(input.value);
      if (k) list[i] = k;
      commit(!!k || !input.value.trim());
    });
    free.append(input, button('✕', 'Bỏ đơn vị này', () => { list.splice(i, 1); commit(true); }));
    box.append(free);
  });
  const pick = el('select', 'add pick');
  pick.title = 'Chọn trong các đơn vị của kế hoạch, hoặc gõ tên đơn vị khác';
  const opt = (value, text) => { const o = el('option', '', text); o.value = value; return o; };
  pick.append(opt('', key === 'lead' ? '+ Chọn đơn vị chủ trì…' : '+ Chọn đơn vị phối hợp…'));
  for (const k of Object.keys(units)) if (!list.includes(k)) pick.append(opt(k, unitName(k)));
  pick.append(opt(OTHER_UNIT, 'Đơn vị khác (gõ tên)…'));
  pick.addEventListener('change', () => {
    if (!pick.value) return;
    if (pick.value === OTHER_UNIT) {
      // Typed in a box of its own; it joins the list once it has a name.
      const input = el('input');
      input.type = 'text';
      input.placeholder = 'tên đơn vị';
      input.setAttribute('list', 'kehoach-units');
      input.addEventListener('change', () => {
        if (!input.value.trim()) return;
        list.push(unitKey(input.value) || input.value.trim());
        commit(true);
      });
      pick.replaceWith(input);
      input.focus();
      return;
    }
    list.push(pick.value);
    commit(true);
  });
  box.append(pick);
  return box;
}
// An optional line of text shown as an empty box (a task's Thời gian): typing fills it in, emptying removes it.
function looseText(holder, key) {
  const i = el('input');
  i.type = 'text';
  i.value = holder[key] ?? '';
  i.addEventListener('input', () => {
    if (i.value.trim()) holder[key] = i.value; else delete holder[key];
    changed(false);
  });
  return i;
}
function unitsDatalist() {
  let list = document.getElementById('kehoach-units');
  if (!list) { list = el('datalist'); list.id = 'kehoach-units'; document.body.append(list); }
  list.replaceChildren(...Object.keys(planUnits()).map(k => { const o = el('option'); o.value = unitName(k); o.label = k; return o; }));
}

// --- tasks without a lead unit: the model allows them (a row may be a heading-like line), so the
// page warns rather than refuses, and says which task.
function leadWarnings() {
  const out = [];
  const aps = S.data && Array.isArray(S.data.appendices) ? S.data.appendices : [];
  aps.forEach((ap, a) => (isObj(ap) && Array.isArray(ap.groups) ? ap.groups : []).forEach((g, gi) =>
    (isObj(g) && Array.isArray(g.tasks) ? g.tasks : []).forEach((t, ti) => {
      if (!isObj(t)) return;
      const lead = Array.isArray(t.lead) ? t.lead.filter(x => typeof x === 'string' ? x.trim() : x) : t.lead;
      if (lead && (!Array.isArray(lead) || lead.length)) return;
      out.push({ path: `appendices[${a}].groups[${gi}].tasks[${ti}]`,
        where: `${aps.length > 1 ? `Phụ lục ${a + 1}, ` : ''}nhóm ${ROMAN[gi] || gi + 1}, nhiệm vụ ${ti + 1}`,
        text: summary(t.content) });
    })));
  return out;
}
function showWarnings() {
  const box = document.getElementById('warnings');
  if (!box) return;
  box.replaceChildren();
  const found = leadWarnings();
  if (!found.length) return;
  box.append(el('b', '', `Lưu ý: ${found.length} nhiệm vụ chưa có đơn vị chủ trì`));
  const ol = el('ol');
  for (const w of found) {
    const f = fieldFor(w.path + '.lead');
    if (f && f.dataset.path === w.path + '.lead') {
      f.classList.add('warn');
      f.querySelector(':scope > .errs').append(el('div', 'warn', 'Nhiệm vụ này chưa có đơn vị chủ trì: hãy chọn trong danh sách.'));
    }
    const a = el(f ? 'a' : 'span', '', `${w.where}: ${w.text.slice(0, 90) || '(chưa có nội dung)'}`);
    if (f) a.addEventListener('click', () => reveal(f));
    ol.append(el('li'));
    ol.lastChild.append(a);
  }
  box.append(ol);
}

function mapEditor(s, obj, path) {
  const box = el('div', 'array');
  for (const k of Object.keys(obj)) {
    const p = join(path, k);
    const item = el('div', 'item');
    const det = el('details');
    det.open = !S.closed.has(p);
    det.addEventListener('toggle', () => det.open ? S.closed.delete(p) : S.closed.add(p));
    const sum = el('summary');
    const keyIn = el('input'); keyIn.type = 'text'; keyIn.value = k; keyIn.style.width = '10em'; keyIn.title = 'Khóa (dùng để nhắc tới trong tệp)';
    keyIn.addEventListener('click', e => e.preventDefault());
    keyIn.addEventListener('keydown', e => { if (e.key === ' ') e.stopPropagation(); });
    keyIn.addEventListener('change', () => {
      const nk = keyIn.value.trim();
      if (!nk || nk in obj) { keyIn.value = k; return; }
      const entries = Object.entries(obj).map(([a, b]) => [a === k ? nk : a, b]);
      for (const a of Object.keys(obj)) delete obj[a];
      for (const [a, b] of entries) obj[a] = b;
      changed(true);
    });
    sum.append(keyIn, el('span', 'sum', summary(obj[k])),
      el('span', 'tools'));
    sum.lastChild.append(button('✕', 'Xóa', () => { delete obj[k]; changed(true); }));
    det.append(sum, editor(s, obj, k, p));
    item.append(det);
    const f = el('div', 'field'); f.dataset.path = p; f.append(item, el('div', 'errs'));
    S.fields.set(p, f);
    box.append(f);
  }
  const add = el('div', 'add');
  const nk = el('input'); nk.type = 'text'; nk.placeholder = 'khóa mới, ví dụ so_tc'; nk.style.width = '14em';
  add.append(nk, button('+ Thêm', 'Thêm mục mới', () => {
    const k = nk.value.trim();
    if (!k || k in obj) return;
    obj[k] = dflt(s);
    changed(true);
  }));
  box.append(add);
  return box;
}

function arrayEditor(s, arr, path) {
  if (s.prefixItems) {
    const box = el('div', 'cells');
    s.prefixItems.forEach((ps, i) => {
      const item = el('div', 'item');
      item.append(field(`${i + 1}`, '', join(path, i), editor(ps, arr, i, join(path, i)), null));
      box.append(item);
    });
    return box;
  }
  const is = deref(s.items || {});
  const cells = JSON.stringify(s.items || {}).includes('CellSpec') && kindOf(is) === 'union' && !branches(is).some(b => deref(b).type === 'array');
  const box = el('div', cells ? 'array cells' : 'array');
  arr.forEach((v, i) => {
    const p = join(path, i);
    const item = el('div', 'item');
    const tools = el('span', 'tools');
    const move = d => () => { const j = i + d; if (j < 0 || j >= arr.length) return; [arr[i], arr[j]] = [arr[j], arr[i]]; changed(true); };
    if (!cells) tools.append(button('↑', 'Lên trên', move(-1)), button('↓', 'Xuống dưới', move(1)));
    else tools.append(button('←', 'Sang trái', move(-1)), button('→', 'Sang phải', move(1)));
    tools.append(iconButton(COPY_ICON, 'Nhân đôi', () => { arr.splice(i + 1, 0, clone(arr[i])); changed(true); }));
    tools.append(button('✕', 'Xóa', () => { arr.splice(i, 1); changed(true); }));
    const ctl = editor(is, arr, i, p);
    const big = isObj(v) || (Array.isArray(v) && !v.every(isPieceValue));
    // A mục that opens a part (Phần, Chương: its `part`) is mục I again, as the document prints it.
    const muc = () => { let n = 0; for (let j = 0; j <= i; j++) n = isObj(arr[j]) && arr[j].part != null ? 1 : n + 1; return n; };
    const name = /(^|\.)sections$/.test(path) ? `Mục ${ROMAN[muc() - 1] || muc()}` : `${i + 1}.`;
    if (big) {
      const det = el('details');
      det.open = !S.closed.has(p);
      det.addEventListener('toggle', () => det.open ? S.closed.delete(p) : S.closed.add(p));
      const sum = el('summary');
      sum.append(el('b', '', name), el('span', 'sum', summary(v)), tools);
      det.append(sum, ctl);
      item.append(det);
    } else {
      const head = el('div', 'row');
      const c = el('div', 'ctl'); c.append(ctl);
      head.append(el('span', 'hint', name), c, tools);
      item.append(head);
    }
    const f = el('div', 'field'); f.dataset.path = p; f.append(item, el('div', 'errs'));
    S.fields.set(p, f);
    box.append(f);
  });
  const bs = kindOf(is) === 'union' ? branches(is).filter(b => deref(b).type !== 'null') : [is];
  if (bs.length > 1) {
    const sel = el('select', 'add');
    sel.append(el('option', '', cells ? '+ Thêm ô…' : '+ Thêm…'));
    bs.forEach((b, i) => { const o = el('option', '', branchLabel(b)); o.value = i; sel.append(o); });
    sel.addEventListener('change', () => { if (sel.value !== '') { arr.push(newItem(arr, bs[+sel.value])); changed(true); } });
    box.append(sel);
  } else {
    box.append(button(cells ? '+ Thêm ô' : '+ Thêm', 'Thêm vào cuối', () => { arr.push(newItem(arr, is)); changed(true); }, 'add'));
  }
  return box;
}
// A new table row has as many cells as the row above it.
function newItem(arr, s) {
  const v = dflt(s);
  const last = [...arr].reverse().find(x => Array.isArray(x));
  if (Array.isArray(v) && !v.length && last && deref(s).type === 'array' && kindOf(s) === 'array') return last.map(() => '');
  return v;
}

function unionEditor(s, holder, key, path) {
  const bs = branches(s).filter(b => deref(b).type !== 'null');
  const v = holder[key];
  const idx = bs.findIndex(b => matches(b, v));
  const box = el('div', 'union');
  const sel = el('select', 'kind');
  sel.title = 'Đổi kiểu';
  if (idx < 0) { const o = el('option', '', '(không khớp kiểu nào)'); o.value = '-1'; sel.append(o); }
  bs.forEach((b, i) => { const o = el('option', '', branchLabel(b)); o.value = i; sel.append(o); });
  sel.value = String(idx);
  sel.addEventListener('change', () => {
    const b = bs[+sel.value];
    const k = kindOf(b);
    const text = summary(v);
    if (['inline', 'lines', 'string'].includes(k) && (typeof v === 'string' || text)) holder[key] = text;
    else {
      const fresh = dflt(b);
      // Keep the words when turning a paragraph into a khoản, an ý, a heading…
      if (isObj(fresh) && text) {
        for (const t of ['clause', 'heading', 'text', 'group', 'content', 'title']) if (t in fresh) { fresh[t] = text; break; }
        for (const t of ['items', 'points']) if (Array.isArray(fresh[t]) && fresh[t].length === 1 && !Object.keys(fresh).some(x => ['clause', 'text'].includes(x))) { fresh[t] = [text]; }
      }
      holder[key] = fresh;
    }
    changed(true);
  });
  box.append(sel, idx >= 0 ? editor(bs[idx], holder, key, path) : rawEditor(holder, key));
  return box;
}

// Plain lines: one line is a string, several are a list (trích yếu, tên cơ quan on two lines).
// A line may hold its own breaks ("…\n…": a name imported as Word wrapped it, one paragraph printed
// on several lines). The textarea shows every printed line; saving keeps the paragraphs they were
// in: a one-paragraph name stays one (made two paragraphs, its first line reads as a parent agency),
// and several keep their lines while the count of lines is the same.
function linesEditor(v, set) {
  const t = el('textarea');
  const lines = Array.isArray(v) ? v : [v ?? ''];
  const shape = lines.map(x => String(x).split('\n').length);  // printed lines of each paragraph
  const broken = shape.some(n => n > 1);
  t.value = lines.join('\n');
  t.rows = Math.max(1, t.value.split('\n').length);
  t.title = 'Mỗi dòng ở đây là một dòng khi in (Enter để xuống dòng)';
  t.addEventListener('input', () => {
    const ls = t.value.split('\n').map(x => x.trim()).filter(Boolean);
    t.rows = Math.max(1, t.value.split('\n').length);
    if (broken && ls.length && lines.length === 1) return set(ls.join('\n'));
    if (broken && ls.length === shape.reduce((a, b) => a + b, 0)) {
      let k = 0;
      return set(shape.map(n => ls.slice(k, k += n).join('\n')));
    }
    set(ls.length > 1 ? ls : (ls[0] || ''));
  });
  return t;
}

// Text with bold/italic/citations, kept as the data files write it: "text" or [text, {bold: …}, …].
function inlineEditor(v, set) {
  const box = el('div', 'inline');
  const ed = el('div', 'rich');
  ed.contentEditable = 'true';
  ed.spellcheck = false;
  ed.innerHTML = piecesHtml(v);
  ed.addEventListener('input', () => set(readPieces(ed)));
  ed.addEventListener('keydown', e => { if (e.key === 'Enter') e.preventDefault(); });
  ed.addEventListener('paste', e => {
    e.preventDefault();
    const text = (e.clipboardData.getData('text/plain') || '').replace(/\s*[\r\n]+\s*/g, ' ');
    document.execCommand('insertText', false, text);
  });
  const bar = el('span', 'bar');
  const cmd = (label, title, fn) => {
    const b = button(label, title, () => { ed.focus(); fn(); set(readPieces(ed)); });
    b.addEventListener('mousedown', e => e.preventDefault());  // keep the selection in the text
    return b;
  };
  const bb = cmd('B', 'In đậm (Ctrl+B)', () => document.execCommand('bold'));
  bb.style.fontWeight = 'bold';
  const ib = cmd('I', 'In nghiêng (Ctrl+I)', () => document.execCommand('italic'));
  ib.style.fontStyle = 'italic';
  const cb = cmd('❝', 'Chèn trích dẫn một văn bản được dẫn', () => {
    const keys = Object.keys((S.data && S.data.references) || {});
    const k = prompt('Khóa văn bản được dẫn' + (keys.length ? ` (${keys.join(', ')})` : ''), keys[0] || '');
    if (k) document.execCommand('insertHTML', false, `<span class="cite" contenteditable="false" data-cite="${esc(k)}">${esc(k)}</span>&nbsp;`);
  });
  // Raised and lowered text as Word's own keys give it (Ctrl+Shift+= and Ctrl+=), and a footnote
  // at the caret, its text asked for as a citation's key is.
  const sup = cmd('x²', 'Chữ nhỏ nâng lên, ví dụ m² (Ctrl+Shift+=)', () => document.execCommand('superscript'));
  const sub = cmd('x₂', 'Chữ nhỏ hạ xuống, ví dụ CO₂ (Ctrl+=)', () => document.execCommand('subscript'));
  const nb = cmd('¹', 'Chèn chú thích chân trang tại chỗ con trỏ', () => {
    const t = (prompt('Nội dung chú thích (in ở chân trang)', '') || '').trim();
    if (t) document.execCommand('insertHTML', false, piecesHtml([{ footnote: t }]));
  });
  ed.addEventListener('keydown', e => {
    if (!e.ctrlKey || e.altKey || !(e.key === '=' || e.key === '+' || e.code === 'Equal')) return;
    e.preventDefault();
    document.execCommand(e.shiftKey ? 'superscript' : 'subscript');
    set(readPieces(ed));
  });
  bar.append(bb, ib, sup, sub, cb, nb);
  box.append(ed, bar);
  return box;
}
function piecesHtml(v) {
  const pieces = typeof v === 'string' ? [v] : Array.isArray(v) ? v : [];
  return pieces.map(p => {
    if (typeof p === 'string') return esc(p);
    if (!isObj(p)) return esc(JSON.stringify(p));
    if ('bold_italic' in p) return `<b><i>${esc(p.bold_italic)}</i></b>`;
    if ('bold' in p) return `<b>${esc(p.bold)}</b>`;
    if ('italic' in p) return `<i>${esc(p.italic)}</i>`;
    if ('sup' in p || 'sub' in p) {  // raised or lowered, bold or italic when its flags say so
      const tag = 'sup' in p ? 'sup' : 'sub';
      const inner = `<${tag}>${esc(p[tag])}</${tag}>`;
      const it = p.italic ? `<i>${inner}</i>` : inner;
      return p.bold ? `<b>${it}</b>` : it;
    }
    // A note is kept whole (its text with its looks, where it prints, its own mark): shown as its
    // mark, the text on hover.
    const noteKey = NOTE_KEYS.find(k => k in p);
    if (noteKey) {
      const text = noteText(p[noteKey]);
      const label = p.mark ? p.mark : noteKey === 'endnote' ? '[chú thích cuối]' : '[chú thích]';
      return `<sup class="note" contenteditable="false" data-note="${esc(JSON.stringify(p))}" title="${esc(text)}">${esc(label)}</sup>`;
    }
    if ('cite' in p) return `<span class="cite" contenteditable="false" data-cite="${esc(p.cite)}"${p.full ? ' data-full="1"' : ''}>${esc(p.cite)}</span>`;
    return esc(JSON.stringify(p));
  }).join('');
}
// The note a data-note attribute holds (piecesHtml writes the piece as JSON); markup pasted from
// elsewhere may hold any text there: kept as a footnote's text.
function notePiece(raw) {
  try {
    const p = JSON.parse(raw);
    if (isObj(p) && NOTE_KEYS.some(k => k in p)) return p;
  } catch (e) { /* not ours */ }
  return { footnote: raw };
}
function readPieces(root) {
  const runs = [];
  const walk = (n, b, i, v) => {
    for (const c of n.childNodes) {
      if (c.nodeType === 3) { runs.push({ t: c.data.replace(/\u00a0/g, ' '), b, i, v }); continue; }
      if (c.nodeType !== 1) continue;
      if (c.dataset && c.dataset.cite !== undefined) { runs.push({ cite: c.dataset.cite, full: c.dataset.full === '1' }); continue; }
      if (c.dataset && c.dataset.note !== undefined) { runs.push({ note: c.dataset.note }); continue; }
      if (c.tagName === 'BR') continue;
      let bb = b, ii = i;
      if (c.tagName === 'B' || c.tagName === 'STRONG') bb = true;
      if (c.tagName === 'I' || c.tagName === 'EM') ii = true;
      if (c.style) {
        const w = c.style.fontWeight;
        if (w) bb = w === 'bold' || w === 'bolder' || Number(w) >= 600;
        if (c.style.fontStyle) ii = c.style.fontStyle === 'italic';
      }
      // raised or lowered as a tag, or as a style (a browser set to style with CSS writes that)
      const va = c.style ? c.style.verticalAlign : '';
      const vv = c.tagName === 'SUP' || va === 'super' ? 'sup' : c.tagName === 'SUB' || va === 'sub' ? 'sub' : v;
      walk(c, bb, ii, vv);
    }
  };
  walk(root, false, false, '');
  const merged = [];
  for (const r of runs) {
    const last = merged[merged.length - 1];
    if (r.t !== undefined && last && last.t !== undefined && last.b === r.b && last.i === r.i && last.v === r.v) last.t += r.t;
    else if (r.t === undefined || r.t) merged.push({ ...r });
  }
  const pieces = merged.map(r => {
    if (r.cite !== undefined) return r.full ? { cite: r.cite, full: true } : { cite: r.cite };
    if (r.note !== undefined) return notePiece(r.note);
    if (r.v) return { [r.v]: r.t, ...(r.b ? { bold: true } : {}), ...(r.i ? { italic: true } : {}) };
    if (r.b && r.i) return { bold_italic: r.t };
    if (r.b) return { bold: r.t };
    if (r.i) return { italic: r.t };
    return r.t;
  });
  if (!pieces.length) return '';
  if (pieces.length === 1 && typeof pieces[0] === 'string') return pieces[0];
  return pieces;
}

// --- errors at their fields
function parentPath(p) { return p.replace(/(\[\d+\]|\.[^.[\]]+|^[^.[\]]+)$/, ''); }
function fieldFor(path) {
  let p = path;
  while (p) {
    if (S.fields.has(p)) return S.fields.get(p);
    p = parentPath(p);
  }
  return null;
}
function reveal(f) {
  for (let d = f.parentElement; d; d = d.parentElement) if (d.tagName === 'DETAILS') d.open = true;
  f.scrollIntoView({ block: 'center', behavior: 'smooth' });
  f.classList.remove('flash'); void f.offsetWidth; f.classList.add('flash');
  const input = f.querySelector('input, textarea, .rich, select');
  if (input) input.focus({ preventScroll: true });
}
function showProblems(problems) {
  S.problems = problems || [];
  for (const f of document.querySelectorAll('.field.bad, .field.warn')) f.classList.remove('bad', 'warn');
  for (const e of document.querySelectorAll('.errs')) e.replaceChildren();
  showWarnings();
  const box = document.getElementById('problems');
  box.replaceChildren();
  if (!S.problems.length) return;
  box.append(el('b', '', `${S.problems.length} lỗi cần sửa:`));
  const ol = el('ol');
  for (const p of S.problems) {
    const f = fieldFor(p.path);
    if (f) {
      f.classList.add('bad');
      const errs = f.querySelector(':scope > .errs');
      errs.append(el('div', '', p.message + (p.value != null && f.dataset.path !== p.path ? ` (${p.path}: ${p.value})` : '')));
    }
    const li = el('li');
    const where = [p.line ? `dòng ${p.line}` : '', p.path].filter(Boolean).join(', ');
    const a = el(f ? 'a' : 'span', '', (where ? where + ': ' : '') + p.message);
    if (f) a.addEventListener('click', () => reveal(f));
    li.append(a);
    ol.append(li);
  }
  box.append(ol);
}

// --- validation, preview, save
async function validateNow() {
  const seq = ++S.vseq;
  const r = await api('POST', '/api/validate', { name: S.name, data: S.data });
  if (seq !== S.vseq) return;
  if (!r.ok) { showProblems(r.json.problems || []); status('Lỗi: ' + (r.json.error || r.status)); return; }
  showProblems(r.json.problems);
  if (!r.json.problems.length) { clearTimeout(S.ptimer); S.ptimer = setTimeout(runPreview, 500); }
  else pstatus('Dữ liệu còn lỗi: đang hiện bản xem trước hợp lệ gần nhất.');
}
// What the server should draw first: pages as wide as the panel shows them (in device pixels), and
// as many as reach the bottom of the panel where it is scrolled now.
function previewAsk() {
  const panel = document.getElementById('preview');
  const css = Math.min(document.getElementById('pages').clientWidth || 600, 900);
  const pageHeight = css * 1.414 + 12;
  return {
    width: Math.round(css * (window.devicePixelRatio || 1)),
    first: Math.max(1, Math.ceil((panel.scrollTop + panel.clientHeight) / pageHeight)),
  };
}
async function runPreview() {
  if (S.pbusy) { S.pagain = true; return; }
  S.pbusy = true;
  const seq = ++S.pseq;
  const pages = document.getElementById('pages');
  pages.classList.add('stale');
  pstatus('Đang cập nhật bản xem trước…');
  const slow = setTimeout(() => pstatus('Bản xem trước đang được tạo (LibreOffice); vẫn hiện bản gần nhất…'), 4000);
  try {
    const r = await api('POST', '/api/preview', { name: S.name, data: S.data, ...previewAsk() });
    if (r.ok && r.json.key) {
      await showPages(r.json.images, r.json.pages);
      showCheck(r.json.check || []);
      pstatus(`Bản xem trước: ${r.json.pages} trang, cập nhật lúc ${new Date().toLocaleTimeString('vi-VN')}.`);
      pages.classList.remove('stale');
      if (r.json.images.includes(null) && !S.pagain) {
        const rest = await api('GET', `/api/preview/${r.json.key}/images`);
        if (rest.ok && seq === S.pseq) await showPages(rest.json.images, r.json.pages);
      }
    } else if (r.json.problems && r.json.problems.length) {
      pstatus('Dữ liệu còn lỗi: đang hiện bản xem trước hợp lệ gần nhất.');
    } else {
      pstatus('Chưa tạo được bản xem trước: ' + (r.json.error || r.status) + '. Đang hiện bản gần nhất.');
    }
  } finally {
    clearTimeout(slow);
    pages.classList.remove('stale');
    S.pbusy = false;
    if (S.pagain) { S.pagain = false; runPreview(); }
  }
}
// Each page image is named by its picture: a page whose name did not change stays as it is (no
// new download, no flicker); a page not drawn yet keeps the picture shown until it is.
function showPages(images, n) {
  const box = document.getElementById('pages');
  const old = [...box.children];
  const next = [];
  const loads = [];
  for (let i = 0; i < n; i++) {
    const name = images[i];
    const had = old[i];
    if (had && (!name || had.dataset.name === name)) { next.push(had); continue; }
    if (!name) { next.push(el('div', 'page-wait', `Trang ${i + 1}…`)); continue; }
    const img = new Image();
    img.alt = `Trang ${i + 1}`;
    img.dataset.name = name;
    loads.push(new Promise(res => { img.onload = img.onerror = res; }));
    img.src = `/api/page/${name}.png?t=${encodeURIComponent(TOKEN)}`;
    next.push(img);
  }
  return Promise.all(loads).then(() => box.replaceChildren(...next));
}
function showCheck(results) {
  const box = document.getElementById('check');
  box.hidden = !results.length;
  box.querySelector('summary').textContent = `Kiểm tra thể thức theo Nghị định 30: ${results.length} điểm cần xem`;
  box.querySelector('ul').replaceChildren(...results.map(r =>
    el('li', '', `${r.severity === 'error' ? 'Lỗi' : 'Lưu ý'} — ${r.element}: ${r.title}${r.message ? ': ' + r.message : ''}${r.location ? ' (' + r.location + ')' : ''}`)));
}
async function save(force) {
  if (!S.name) return;
  status('Đang lưu…');
  const r = await api('POST', '/api/save', { name: S.name, data: S.data, digest: S.digest, force: !!force });
  if (r.status === 409) {
    if (confirm(r.json.error + '\n\nGhi đè tệp trên đĩa bằng nội dung đang soạn?')) return save(true);
    status('Chưa lưu: tệp đã được sửa ở nơi khác. Bấm "Tải lại" để đọc bản trên đĩa.');
    return;
  }
  if (!r.ok) { status('Chưa lưu: ' + (r.json.error || r.status)); if (r.json.problems) showProblems(r.json.problems); return; }
  S.digest = r.json.digest;
  S.dirty = false;
  document.getElementById('save').disabled = true;
  showProblems(r.json.problems);
  status(r.json.problems.length ? `Đã lưu (còn ${r.json.problems.length} lỗi)` : 'Đã lưu ' + new Date().toLocaleTimeString('vi-VN'));
}
async function openFile(name) {
  status('Đang mở…');
  const r = await api('GET', '/api/file?name=' + encodeURIComponent(name));
  S.name = name;
  document.getElementById('reload').disabled = false;
  for (const id of ['job-rollover', 'job-issue', 'job-batch', 'job-progress', 'job-catalogue']) document.getElementById(id).disabled = false;
  showTodo();
  if (!r.ok) {
    S.data = null;
    document.getElementById('form').replaceChildren(el('p', 'hint',
      'Tệp này chưa mở được thành biểu mẫu. Hãy sửa các lỗi dưới đây bằng trình soạn thảo văn bản rồi bấm "Tải lại".'));
    S.fields = new Map();
    showProblems(r.json.problems || [{ path: '', message: r.json.error || String(r.status) }]);
    status('Không mở được');
    return;
  }
  S.data = r.json.data;
  S.digest = r.json.digest;
  S.dirty = false;
  S.closed = new Set();
  document.getElementById('save').disabled = true;
  S.problems = r.json.problems;
  rerender();
  status('Đã mở ' + name);
  try { localStorage.setItem(S.lastKey, name); } catch (e) { /* private window: not remembered */ }
  const url = new URL(location.href);
  url.searchParams.set('f', name);
  history.replaceState(null, '', url);
  if (!r.json.problems.length) runPreview();
}

async function start() {
  const [schema, files] = await Promise.all([api('GET', '/api/schema'), api('GET', '/api/files')]);
  if (!schema.ok || !files.ok) {
    document.getElementById('form').replaceChildren(el('p', 'hint', (schema.json.error || files.json.error || 'Lỗi') + ''));
    return;
  }
  S.schema = schema.json;
  S.defs = S.schema.$defs || {};
  const sel = document.getElementById('file');
  fillFiles(files.json);
  setupJobs();
  if (!files.json.files.length) {
    document.getElementById('form').replaceChildren(el('p', 'hint', 'Thư mục dữ liệu chưa có tệp .yaml nào. Bấm "Nhập từ Word…" để tạo tệp đầu tiên từ một kế hoạch soạn bằng Word.'));
    return;
  }
  sel.value = firstFile(files.json.files);
  let current = sel.value;
  sel.addEventListener('change', () => {
    if (S.dirty && !confirm('Có thay đổi chưa lưu. Bỏ các thay đổi đó và mở tệp khác?')) { sel.value = S.name || current; return; }
    current = sel.value;
    openFile(current);
  });
  document.getElementById('save').addEventListener('click', () => save(false));
  document.getElementById('reload').addEventListener('click', () => {
    if (!S.dirty || confirm('Bỏ các thay đổi chưa lưu và đọc lại tệp trên đĩa?')) openFile(S.name);
  });
  document.addEventListener('keydown', e => { if ((e.ctrlKey || e.metaKey) && e.key === 's') { e.preventDefault(); save(false); } });
  window.addEventListener('beforeunload', e => { if (S.dirty) { e.preventDefault(); e.returnValue = ''; } });
  openFile(current);
}
// --- the jobs: import from Word, next year, the final, a batch
function fillFiles(listing) {
  S.files = listing.files;
  S.pdf = !!listing.pdf;
  const sel = document.getElementById('file');
  const option = f => { const o = el('option', '', f.name); o.value = f.name; return o; };
  const plans = listing.files.filter(f => !f.units);
  const units = listing.files.filter(f => f.units);
  const groups = [];
  if (plans.length) { const g = el('optgroup'); g.label = 'Kế hoạch'; g.append(...plans.map(option)); groups.push(g); }
  if (units.length) { const g = el('optgroup'); g.label = 'Tệp đơn vị (tạo hàng loạt)'; g.append(...units.map(option)); groups.push(g); }
  sel.replaceChildren(...groups);
  S.lastKey = 'kehoach-last:' + listing.folder;
  if (S.name) sel.value = S.name;
}
// The file to open first: the one in the address, else the one opened last time, else the first plan.
function firstFile(files) {
  const has = name => name && files.some(f => f.name === name);
  let last = null;
  try { last = localStorage.getItem(S.lastKey); } catch (e) { last = null; }
  if (has(params.get('f'))) return params.get('f');
  if (has(last)) return last;
  return (files.find(f => !f.units) || files[0]).name;
}
async function refreshFiles() {
  const r = await api('GET', '/api/files');
  if (r.ok) fillFiles(r.json);
}
// Open a file the page has just made (after asking about unsaved changes: they were saved first).
async function openNew(name) {
  await refreshFiles();
  document.getElementById('file').value = name;
  await openFile(name);
}
// The jobs work on the file on disk: unsaved changes are saved first.
async function saved() {
  if (!S.name) return false;
  if (S.dirty) await save(false);
  if (S.dirty) { status('Hãy lưu (hoặc tải lại) tệp trước khi làm việc này.'); return false; }
  return true;
}
function result(dlg, nodes, bad) {
  const box = dlg.querySelector('.result');
  box.classList.toggle('bad', !!bad);
  box.replaceChildren(...[].concat(nodes).map(n => typeof n === 'string' ? el('div', '', n) : n));
}
function downloadLink(key, name) {
  const a = el('a', 'download', '⬇ ' + name);
  a.href = `/api/download/${encodeURIComponent(key)}?t=${encodeURIComponent(TOKEN)}`;
  a.setAttribute('download', name);
  return a;
}
function problemList(messages) {
  const ul = el('ul');
  for (const m of messages) ul.append(el('li', '', m));
  return ul;
}
function errorNodes(json, status) {
  const nodes = [json.error || ('Lỗi ' + status)];
  if (json.problems && json.problems.length > 1) nodes.push(problemList(json.problems.map(p => (p.path ? p.path + ': ' : '') + p.message)));
  return nodes;
}
// A job's button: busy while it runs, the answer shown in the dialog.
async function runJob(dlg, work) {
  const go = dlg.querySelector('.go');
  go.disabled = true;
  result(dlg, 'Đang làm…');
  try { await work(); } finally { go.disabled = false; }
}
function setupJobs() {
  const open = (id, prepare) => document.getElementById('job-' + id).addEventListener('click', async () => {
    const dlg = document.getElementById('dlg-' + id);
    if (id !== 'import' && !(await saved())) return;
    result(dlg, []);
    prepare(dlg);
    dlg.showModal();
  });

  open('import', () => {});
  const imp = document.getElementById('dlg-import');
  imp.querySelector('.go').addEventListener('click', () => runJob(imp, async () => {
    const file = document.getElementById('import-file').files[0];
    if (!file) { result(imp, 'Hãy chọn một tệp văn bản (.docx, .doc, .odt, .rtf, trang web hoặc Word XML).', true); return; }
    if (S.dirty && !(await saved())) { result(imp, 'Tệp đang mở còn thay đổi chưa lưu được.', true); return; }
    let res, json = {};
    try {
      res = await fetch('/api/import?filename=' + encodeURIComponent(file.name), {
        method: 'POST', headers: { 'X-Kehoach-Token': TOKEN, 'Content-Type': 'application/octet-stream' }, body: file });
      json = await res.json();
    } catch (e) { result(imp, 'Không gửi được tệp: ' + e, true); return; }
    if (!res.ok) { result(imp, errorNodes(json, res.status), true); return; }
    const nodes = [`Đã tạo ${json.name}.`];
    if (json.note) nodes.push(`Lưu ý: ${json.note}`);
    if (json.warnings.length) nodes.push(`${json.warnings.length} cảnh báo (chỗ chưa đọc được đúng từng chữ; kiểm tra và sửa tay):`, problemList(json.warnings));
    result(imp, nodes);
    await openNew(json.name);
  }));

  open('rollover', dlg => {
    const y = parseInt(String((S.data && S.data.date) || '').slice(0, 4), 10);
    document.getElementById('rollover-year').value = y ? y + 1 : '';
    document.getElementById('rollover-sheets').value = '';
    const had = uploadedSheets();
    const box = document.getElementById('rollover-uploaded-box');
    box.hidden = !had.length;
    box.querySelector('span').textContent = `dùng ${had.length} bảng tiến độ đã tải lên ở "Tiến độ…" (${had.map(x => x.name).join(', ')})`;
  });
  const rol = document.getElementById('dlg-rollover');
  rol.querySelector('.go').addEventListener('click', () => runJob(rol, async () => {
    const year = document.getElementById('rollover-year').value.trim();
    const sheets = [];
    if (!document.getElementById('rollover-uploaded-box').hidden && document.getElementById('rollover-uploaded').checked)
      sheets.push(...uploadedSheets().map(x => x.id));
    const picked = [...document.getElementById('rollover-sheets').files];
    if (picked.length) {
      const up = await uploadSheets(picked);
      if (up.errors.length) { result(rol, up.errors, true); return; }
      sheets.push(...up.sent.map(x => x.id));
    }
    const r = sheets.length ? await api('POST', '/api/rollover-progress', { name: S.name, year, sheets })
                            : await api('POST', '/api/rollover', { name: S.name, year });
    if (!r.ok) { result(rol, errorNodes(r.json, r.status), true); return; }
    sessionStorage.setItem('kehoach-todo:' + r.json.name, JSON.stringify({ items: r.json.items, done: [], year: r.json.new_year }));
    result(rol, `Đã tạo ${r.json.name} (dự thảo năm ${r.json.new_year}); ${r.json.items.length} chỗ cần xem lại, danh sách ở đầu biểu mẫu.`);
    await openNew(r.json.name);
    setTimeout(() => rol.close(), 1200);
  }));

  open('issue', dlg => {
    document.getElementById('issue-number').value = S.data && S.data.number != null ? S.data.number : '';
    const d = S.data && S.data.date;
    document.getElementById('issue-date').value = typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d) ? shownDate(d) : '';
    const pdf = document.getElementById('issue-pdf');
    pdf.disabled = !S.pdf;
    pdf.checked = S.pdf;
    pdf.parentElement.title = S.pdf ? '' : 'Máy chưa có LibreOffice để xuất PDF';
  });
  const iss = document.getElementById('dlg-issue');
  iss.querySelector('.go').addEventListener('click', () => runJob(iss, async () => {
    const r = await api('POST', '/api/issue', {
      name: S.name, number: document.getElementById('issue-number').value.trim(),
      date: isoDate(document.getElementById('issue-date').value.trim()), pdf: document.getElementById('issue-pdf').checked });
    if (!r.ok) {
      const nodes = errorNodes(r.json, r.status);
      if (r.json.existing) nodes.push(el('div', '', 'Bản đã có: '), downloadLink(r.json.existing.docx, r.json.existing.name));
      result(iss, nodes, true);
      return;
    }
    const links = el('div');
    links.append(downloadLink(r.json.docx, r.json.docx_name));
    if (r.json.pdf) links.append(downloadLink(r.json.pdf, r.json.pdf_name));
    const said = [r.json.unchanged ? `Bản phát hành số ${r.json.number} đã có và giống hệt, giữ nguyên: ${r.json.path}`
                                   : `Đã tạo bản phát hành số ${r.json.number}: ${r.json.path}`, links];
    if (r.json.warnings && r.json.warnings.length) said.push('Cảnh báo:', problemList(r.json.warnings));
    if (r.json.superseded && r.json.superseded.length) said.push(STALE, problemList(r.json.superseded));
    result(iss, said);
    // The number and date are now in the file on disk: read it again (nothing unsaved: runJob saved first).
    if (r.json.recorded && !S.dirty) await openFile(S.name);
  }));

  open('batch', () => {
    const sel = document.getElementById('batch-units');
    const units = S.files.filter(f => f.units && f.name !== S.name);
    const rest = S.files.filter(f => !f.units && f.name !== S.name);
    sel.replaceChildren(...[...units, ...rest].map(f => { const o = el('option', '', f.name); o.value = f.name; return o; }));
    const pdf = document.getElementById('batch-pdf');
    pdf.disabled = !S.pdf;
    pdf.checked = false;
  });
  const bat = document.getElementById('dlg-batch');
  bat.querySelector('.go').addEventListener('click', () => runJob(bat, async () => {
    const units = document.getElementById('batch-units').value;
    if (!units) { result(bat, 'Thư mục chưa có tệp đơn vị (.yaml có mục units).', true); return; }
    const r = await api('POST', '/api/batch', { name: S.name, units, pdf: document.getElementById('batch-pdf').checked });
    if (!r.ok) { result(bat, errorNodes(r.json, r.status), true); return; }
    const j = r.json;
    const nodes = [`${j.written.length} văn bản đã tạo trong ${j.folder}`
      + (j.kept.length ? `; ${j.kept.length} bản phát hành đã có, giống hệt, giữ nguyên` : '')
      + (j.pdfs.length ? ` (kèm ${j.pdfs.length} PDF)` : '')
      + (j.workers > 1 ? `, ${j.workers} tiến trình song song` : '') + '.'];
    if (j.zip) nodes.push(downloadLink(j.zip, units.split('/').pop().replace(/\.ya?ml$/i, '') + '.zip'));
    if (j.failed.length) nodes.push(`${j.failed.length} đơn vị lỗi, chưa tạo:`, problemList(j.failed.map(f => f.problems.join('; '))));
    if (j.warnings.length) nodes.push('Cảnh báo:', problemList(j.warnings));
    result(bat, nodes, !j.written.length && !j.kept.length);
  }));
  setupProgress(open);
  setupCatalogue(open);
}

// --- the plan's year: the progress sheet out, filled sheets in, the report made from them
// Sheets uploaded for the open plan, kept while it stays open (the server holds them by id).
function uploadedSheets() { return S.sheets && S.sheets.plan === S.name ? S.sheets.list : []; }
async function uploadSheets(files) {
  const sent = [], errors = [];
  for (const file of files) {
    let res, json = {};
    try {
      res = await fetch('/api/progress/upload?filename=' + encodeURIComponent(file.name), {
        method: 'POST', headers: { 'X-Kehoach-Token': TOKEN, 'Content-Type': 'application/octet-stream' }, body: file });
      json = await res.json();
    } catch (e) { errors.push(`${file.name}: không gửi được tệp`); continue; }
    if (!res.ok) errors.push(json.error || `${file.name}: lỗi ${res.status}`); else sent.push(json);
  }
  return { sent, errors };
}
function todayText() {
  const d = new Date();
  return `${String(d.getDate()).padStart(2, '0')}/${String(d.getMonth() + 1).padStart(2, '0')}/${d.getFullYear()}`;
}
function summaryNodes(j) {
  const nodes = [`Tính đến ngày ${shownDate(j.as_of)}: ${j.sentence}.`];
  const table = el('table', 'counts');
  for (const c of j.columns) { const tr = el('tr'); tr.append(el('td', '', c.label), el('td', 'n', String(c.count))); table.append(tr); }
  nodes.push(table);
  if (j.overdue.length) nodes.push(`${j.overdue.length} nhiệm vụ quá hạn:`, problemList(j.overdue.map(o => `${o.content} (Chủ trì: ${o.lead || 'không ghi'}; thời hạn ${o.time})`)));
  if (j.unreported) nodes.push(`${j.unreported} nhiệm vụ chưa có đơn vị nào báo cáo (tính là chưa thực hiện).`);
  if (j.warnings.length) nodes.push('Lưu ý:', problemList(j.warnings));
  return nodes;
}
function sheetProblems(json, status) {
  const nodes = [json.error || ('Lỗi ' + status)];
  if (json.problems && json.problems.length) nodes.push(problemList(json.problems.map(p => (p.path ? p.path + ': ' : '') + p.message)));
  return nodes;
}
function setupProgress(open) {
  const dlg = document.getElementById('dlg-progress');
  const list = document.getElementById('progress-uploaded');
  const files = document.getElementById('progress-files');
  const showList = () => {
    list.replaceChildren(...uploadedSheets().map((x, i) => {
      const li = el('li', '', x.name + ' ');
      li.append(button('✕', 'Bỏ bảng này', () => { S.sheets.list.splice(i, 1); showList(); }));
      return li;
    }));
  };
  open('progress', () => {
    if (!S.sheets || S.sheets.plan !== S.name) S.sheets = { plan: S.name, list: [] };
    const asOf = document.getElementById('progress-as-of');
    if (!asOf.value) asOf.value = todayText();
    document.getElementById('progress-sheet-result').replaceChildren();
    files.value = '';
    showList();
  });
  document.getElementById('progress-sheet').addEventListener('click', async () => {
    const box = document.getElementById('progress-sheet-result');
    box.classList.remove('bad');
    box.replaceChildren(el('div', '', 'Đang tạo bảng…'));
    const r = await api('POST', '/api/progress/sheet', { name: S.name, per_unit: document.getElementById('progress-per-unit').checked });
    if (!r.ok) { box.classList.add('bad'); box.replaceChildren(...sheetProblems(r.json, r.status).map(n => typeof n === 'string' ? el('div', '', n) : n)); return; }
    const nodes = [el('div', '', `${r.json.tasks} nhiệm vụ, ${r.json.sheets.length} trang tính: ${r.json.sheets.join(', ')}.`), downloadLink(r.json.download, r.json.filename)];
    if (r.json.warnings.length) nodes.push(el('div', '', 'Thời hạn chưa đọc được thành ngày (không bao giờ tính quá hạn):'), problemList(r.json.warnings));
    box.replaceChildren(...nodes);
  });
  files.addEventListener('change', () => runJob(dlg, async () => {
    const up = await uploadSheets([...files.files]);
    S.sheets.list.push(...up.sent);
    files.value = '';
    showList();
    result(dlg, up.errors.length ? up.errors : `Đã tải lên ${up.sent.length} bảng. Bấm "Xem kết quả" hoặc "Tạo báo cáo".`, !!up.errors.length);
  }));
  const ask = async url => {
    const sheets = uploadedSheets().map(x => x.id);
    if (!sheets.length) { result(dlg, 'Hãy chọn các bảng tiến độ đơn vị đã điền (mục 2).', true); return null; }
    const r = await api('POST', url, { name: S.name, sheets, as_of: document.getElementById('progress-as-of').value.trim() });
    if (!r.ok) { result(dlg, sheetProblems(r.json, r.status), true); return null; }
    return r.json;
  };
  document.getElementById('progress-read').addEventListener('click', () => runJob(dlg, async () => {
    const j = await ask('/api/progress/read');
    if (j) result(dlg, summaryNodes(j));
  }));
  dlg.querySelector('.go').addEventListener('click', () => runJob(dlg, async () => {
    const j = await ask('/api/report');
    if (!j) return;
    result(dlg, [`Đã tạo báo cáo ${j.name}; người soạn viết các đoạn "(Người soạn …)" rồi lưu.`, ...summaryNodes(j)]);
    await openNew(j.name);
  }));
}

// --- a catalogue kept in a spreadsheet, linked as an appendix's table
function setupCatalogue(open) {
  const dlg = document.getElementById('dlg-catalogue');
  const choice = document.getElementById('catalogue-choice');
  const sheetSel = document.getElementById('catalogue-sheet');
  const targetSel = document.getElementById('catalogue-target');
  const go = dlg.querySelector('.go');
  let got = null;
  const opt = (value, text) => { const o = el('option', '', text); o.value = value; return o; };
  open('catalogue', () => {
    got = null;
    choice.hidden = true;
    go.disabled = true;
    document.getElementById('catalogue-file').value = '';
  });
  const describe = () => {
    const s = got && got.sheets[Number(sheetSel.value)];
    if (!s) return;
    const nodes = [`Đã lưu ${got.file}.`];
    if (s.problems.length) { nodes.push(`Trang tính "${s.sheet}" chưa dùng được:`, problemList(s.problems)); result(dlg, nodes, true); go.disabled = true; return; }
    nodes.push(`Trang tính "${s.sheet}": ${s.rows} hàng; cột: ${s.columns.join(', ')}.`);
    if (s.warnings.length) nodes.push(problemList(s.warnings));
    result(dlg, nodes);
    go.disabled = false;
  };
  document.getElementById('catalogue-upload').addEventListener('click', () => runJob(dlg, async () => {
    const file = document.getElementById('catalogue-file').files[0];
    if (!file) { result(dlg, 'Hãy chọn một tệp .xlsx, .ods hoặc .csv.', true); return; }
    let res, json = {};
    try {
      res = await fetch(`/api/catalogue/upload?name=${encodeURIComponent(S.name)}&filename=${encodeURIComponent(file.name)}`, {
        method: 'POST', headers: { 'X-Kehoach-Token': TOKEN, 'Content-Type': 'application/octet-stream' }, body: file });
      json = await res.json();
    } catch (e) { result(dlg, 'Không gửi được tệp.', true); return; }
    if (!res.ok) { result(dlg, sheetProblems(json, res.status), true); return; }
    got = json;
    sheetSel.replaceChildren(...got.sheets.map((s, i) => opt(String(i), s.sheet + (s.problems.length ? ' (có lỗi)' : ''))));
    sheetSel.value = String(Math.max(0, got.sheets.findIndex(s => !s.problems.length)));
    const aps = S.data && Array.isArray(S.data.appendices) ? S.data.appendices : [];
    targetSel.replaceChildren(opt('new', 'Phụ lục mới'), ...aps.map((a, i) =>
      opt(String(i), `thay nội dung Phụ lục ${i + 1}: ${summary(a.subtitle || a.title).slice(0, 60)}`)));
    choice.hidden = false;
    describe();
  }));
  sheetSel.addEventListener('change', describe);
  go.addEventListener('click', () => {
    const s = got && got.sheets[Number(sheetSel.value)];
    if (!s || !s.appendix) return;
    if (!Array.isArray(S.data.appendices)) S.data.appendices = [];
    let at = S.data.appendices.length;
    if (targetSel.value === 'new') S.data.appendices.push(clone(s.appendix));
    else {
      at = Number(targetSel.value);
      const ap = S.data.appendices[at];
      delete ap.groups; delete ap.blocks;
      ap.table = { ...(isObj(ap.table) ? Object.fromEntries(Object.entries(ap.table).filter(([k]) =>
        !['columns', 'rows', 'sheet'].includes(k))) : {}), sheet: s.appendix.table.sheet };
    }
    changed(true);  // checked, then previewed with the sheet's rows
    status(`Phụ lục ${at + 1} lấy bảng từ ${s.appendix.table.sheet}; chưa lưu`);
    dlg.close();
    const f = fieldFor(`appendices[${at}].table.sheet`) || fieldFor(`appendices[${at}]`);
    if (f) reveal(f);
  });
}

// The rollover report as a to-do list: each item links to its field; ticks are kept for the session.
// Each item's label comes with it from the server (jobs/rollover.py KINDS, the one list of kinds).
function showTodo() {
  const box = document.getElementById('todo');
  const key = 'kehoach-todo:' + S.name;
  let todo = null;
  try { todo = JSON.parse(sessionStorage.getItem(key) || 'null'); } catch (e) { todo = null; }
  box.hidden = !(todo && todo.items && todo.items.length);
  if (box.hidden) return;
  const done = new Set(todo.done || []);
  const summary = () => { box.querySelector('summary').textContent = `Cần xem lại sau khi chuyển sang năm ${todo.year}: ${todo.items.length - done.size} / ${todo.items.length} chỗ`; };
  summary();
  box.querySelector('ol').replaceChildren(...todo.items.map((it, i) => {
    const li = el('li', done.has(i) ? 'done' : '');
    const tick = el('input');
    tick.type = 'checkbox';
    tick.checked = done.has(i);
    tick.title = 'Đã xem';
    tick.addEventListener('change', () => {
      tick.checked ? done.add(i) : done.delete(i);
      li.classList.toggle('done', tick.checked);
      todo.done = [...done];
      sessionStorage.setItem(key, JSON.stringify(todo));
      summary();
    });
    // A task left out of the new file has no field there (no path): said, not linked.
    const a = it.path ? el('a', '', `${it.path}: ${it.message}`) : el('span', '', it.message);
    a.title = it.text;
    if (it.path) a.addEventListener('click', () => { const f = fieldFor(it.path); if (f) reveal(f); });
    li.append(tick, ' ', el('span', 'kind', (it.label || 'Cần xem lại') + (it.line ? `, dòng ${it.line}` : it.was ? `, ${it.was}` : '') + ' — '), a,
      el('div', 'hint', it.text));
    return li;
  }));
}

start();
