// The one script of every tifa page: sortable tables everywhere; on the pair report, the two full-text
// panes (synchronised scrolling, a click on a passage scrolls the other pane to its counterpart),
// outline links into both panes, and the family / class toggles. No network, no dependencies.
(function () {
  'use strict';

  // Sortable tables: th[data-sort="num"|"text"]; a cell's data-v, when present, is its sort key.
  function key(td, numeric) {
    var v = td.hasAttribute('data-v') ? td.getAttribute('data-v') : td.textContent;
    return numeric ? parseFloat(v) || 0 : v;
  }
  document.querySelectorAll('table.sortable th[data-sort]').forEach(function (th) {
    th.addEventListener('click', function () {
      var table = th.closest('table'), body = table.tBodies[0];
      var col = Array.prototype.indexOf.call(th.parentNode.children, th);
      var numeric = th.getAttribute('data-sort') === 'num';
      var asc = th.getAttribute('aria-sort') !== 'ascending';
      table.querySelectorAll('th[aria-sort]').forEach(function (x) { x.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (r, s) {
        var x = key(r.cells[col], numeric), y = key(s.cells[col], numeric);
        var c = numeric ? x - y : String(x).localeCompare(String(y), 'zh');
        return asc ? c : -c;
      });
      var frag = document.createDocumentFragment();
      rows.forEach(function (r) { frag.appendChild(r); });
      body.appendChild(frag);
    });
  });

  // Toggles: unchecking adds off-FAMILY / off-CLASS to <body>.
  document.querySelectorAll('input[data-toggle-family], input[data-toggle-class]').forEach(function (box) {
    box.addEventListener('change', function () {
      var name = box.getAttribute('data-toggle-family') || box.getAttribute('data-toggle-class');
      document.body.classList.toggle('off-' + name, !box.checked);
    });
  });

  // Paginated tables: table[data-page-size] shows one page of rows, with previous/next buttons.
  document.querySelectorAll('table[data-page-size]').forEach(function (table) {
    var size = parseInt(table.getAttribute('data-page-size'), 10) || 50;
    var body = table.tBodies[0], page = 0;
    if (!body || body.rows.length <= size) return;
    var nav = document.createElement('div');
    nav.className = 'pager';
    var prev = document.createElement('button'), next = document.createElement('button');
    var label = document.createElement('span');
    prev.textContent = '‹'; next.textContent = '›';
    nav.appendChild(prev); nav.appendChild(label); nav.appendChild(next);
    table.parentNode.insertBefore(nav, table.nextSibling);
    function show() {
      var pages = Math.ceil(body.rows.length / size);
      page = Math.max(0, Math.min(pages - 1, page));
      Array.prototype.forEach.call(body.rows, function (r, i) {
        r.hidden = Math.floor(i / size) !== page;
      });
      label.textContent = ' ' + (page + 1) + ' / ' + pages + ' ';
    }
    prev.addEventListener('click', function () { page--; show(); });
    next.addEventListener('click', function () { page++; show(); });
    table.addEventListener('click', function (e) { if (e.target.closest('th')) setTimeout(show, 0); });
    show();
  });

  // Graph threshold: edges lighter than the slider are hidden, nodes left without edges are faded.
  var threshold = document.getElementById('threshold');
  var graph = document.getElementById('graph');
  if (threshold && graph) {
    var lines = graph.querySelectorAll('line[data-weight]');
    var circles = graph.querySelectorAll('circle[data-doc]');
    var apply = function () {
      var v = parseFloat(threshold.value), live = {};
      lines.forEach(function (l) {
        var on = parseFloat(l.getAttribute('data-weight')) >= v;
        l.style.display = on ? '' : 'none';
        if (on) { live[l.getAttribute('data-a')] = 1; live[l.getAttribute('data-b')] = 1; }
      });
      circles.forEach(function (c) { c.classList.toggle('faded', !live[c.getAttribute('data-doc')]); });
      var out = document.getElementById('threshold-value');
      if (out) out.textContent = Math.round(v * 100) + '%';
    };
    threshold.addEventListener('input', apply);
    apply();
  }

  var panes = { a: document.getElementById('pane-a'), b: document.getElementById('pane-b') };
  if (!panes.a || !panes.b) return;
  var other = { a: 'b', b: 'a' };

  // Passage n -> its first element on each side; per side, the passages sorted by their top offset.
  var first = { a: {}, b: {} }, order = { a: [], b: [] };
  function index() {
    ['a', 'b'].forEach(function (side) {
      first[side] = {};
      var list = [];
      panes[side].querySelectorAll('mark[data-passage]').forEach(function (el) {
        var n = el.getAttribute('data-passage');
        if (!(n in first[side])) { first[side][n] = el; list.push({ n: n, top: el.offsetTop }); }
      });
      list.sort(function (x, y) { return x.top - y.top; });
      order[side] = list;
    });
  }
  index();
  window.addEventListener('resize', index);
  // Marks the panes as linked (tests read it from the DOM after scripts ran).
  panes.a.setAttribute('data-linked', String(order.a.length));
  panes.b.setAttribute('data-linked', String(order.b.length));

  // Programmatic scrolls of a pane are not echoed back to the other one.
  var muted = { a: false, b: false };
  function setScroll(side, top) {
    var pane = panes[side];
    var max = pane.scrollHeight - pane.clientHeight;
    top = Math.max(0, Math.min(max, Math.round(top)));
    if (Math.abs(pane.scrollTop - top) < 1) return;
    muted[side] = true;
    pane.scrollTop = top;
  }
  // Scrolls `side` so that `el` stands `offset` px below the pane's top.
  function scrollToEl(side, el, offset) {
    setScroll(side, el.offsetTop - offset);
  }

  function flash(n) {
    document.querySelectorAll('mark.flash').forEach(function (x) { x.classList.remove('flash'); });
    document.querySelectorAll('mark[data-passage="' + n + '"]').forEach(function (x) { x.classList.add('flash'); });
  }

  // A click on a passage: the other pane brings its counterpart level with the clicked element.
  ['a', 'b'].forEach(function (side) {
    panes[side].addEventListener('click', function (e) {
      var el = e.target.closest && e.target.closest('mark[data-passage]');
      if (!el || document.body.classList.contains('off-' + (el.classList.contains('boilerplate') ? 'boilerplate' : 'distinctive'))) return;
      var n = el.getAttribute('data-passage');
      var target = first[other[side]][n];
      if (!target) return;
      var offset = el.offsetTop - panes[side].scrollTop;
      offset = Math.max(0, Math.min(panes[side].clientHeight - 24, offset));
      scrollToEl(other[side], target, offset);
      flash(n);
    });
  });

  // Table links: #N scrolls both panes to passage N.
  document.querySelectorAll('a[data-jump]').forEach(function (a) {
    a.addEventListener('click', function (e) {
      var n = a.getAttribute('data-jump');
      if (!first.a[n] || !first.b[n]) return;
      e.preventDefault();
      document.getElementById('texts').scrollIntoView();
      scrollToEl('a', first.a[n], 40);
      scrollToEl('b', first.b[n], 40);
      flash(n);
    });
  });

  // Outline links: each side's section in its pane, the row's other side in the other pane.
  document.querySelectorAll('table.align tr[data-status]').forEach(function (tr) {
    tr.addEventListener('click', function (e) {
      var links = tr.querySelectorAll('a.goto');
      if (!links.length) return;
      e.preventDefault();
      document.getElementById('texts').scrollIntoView();
      links.forEach(function (a) {
        var id = a.getAttribute('data-anchor'), el = document.getElementById(id);
        if (el) scrollToEl(id.charAt(0), el, 8);
      });
    });
  });

  // Synchronised scrolling: the passage nearest the reading line of the scrolled pane is kept level
  // with its counterpart; without passages nearby, the panes scroll proportionally.
  var sync = document.getElementById('sync');
  var pending = { a: false, b: false };
  function follow(side) {
    var pane = panes[side], o = other[side];
    var line = pane.scrollTop + pane.clientHeight / 3;
    var list = order[side], lo = 0, hi = list.length - 1, best = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (list[mid].top <= line) { best = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    var near = best >= 0 && line - list[best].top < pane.clientHeight;
    if (near && first[o][list[best].n]) {
      var offset = list[best].top - pane.scrollTop;
      scrollToEl(o, first[o][list[best].n], offset);
    } else {
      var max = pane.scrollHeight - pane.clientHeight;
      var share = max > 0 ? pane.scrollTop / max : 0;
      setScroll(o, share * (panes[o].scrollHeight - panes[o].clientHeight));
    }
  }
  ['a', 'b'].forEach(function (side) {
    panes[side].addEventListener('scroll', function () {
      if (muted[side]) { muted[side] = false; return; }
      if (!sync || !sync.checked || pending[side]) return;
      pending[side] = true;
      requestAnimationFrame(function () { pending[side] = false; follow(side); });
    }, { passive: true });
  });
})();
