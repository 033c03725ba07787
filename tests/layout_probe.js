// What tests/test_layout.py checks in a page, run in the browser. Returns a list of problems.
//  - inside each figure, no two texts' boxes intersect (rotated boxes compared as such);
//  - no text box (a label, a legend entry) covers a plotted line (points sampled along each
//    path with getPointAtLength, those inside the plot area) or a marker;
//  - no button or label is cut (scrollWidth > clientWidth).
(root) => {
  const problems = [];
  const toScreen = (el, x, y) => new DOMPoint(x, y).matrixTransform(el.getScreenCTM());
  const quad = (el) => {
    const b = el.getBBox();
    return [[b.x, b.y], [b.x + b.width, b.y], [b.x + b.width, b.y + b.height], [b.x, b.y + b.height]]
      .map(([x, y]) => { const p = toScreen(el, x, y); return [p.x, p.y]; });
  };
  const shrink = (q, d) => {
    const cx = q.reduce((s, p) => s + p[0], 0) / q.length, cy = q.reduce((s, p) => s + p[1], 0) / q.length;
    return q.map(([x, y]) => {
      const dx = cx - x, dy = cy - y, len = Math.hypot(dx, dy) || 1;
      return [x + d * dx / len, y + d * dy / len];
    });
  };
  const rectQuad = (r) => [[r.left, r.top], [r.right, r.top], [r.right, r.bottom], [r.left, r.bottom]];
  const overlap = (a, b) => {  // separating axis test for convex polygons
    for (const poly of [a, b]) {
      for (let i = 0; i < poly.length; i++) {
        const [x1, y1] = poly[i], [x2, y2] = poly[(i + 1) % poly.length];
        const nx = y2 - y1, ny = x1 - x2;
        let amin = Infinity, amax = -Infinity, bmin = Infinity, bmax = -Infinity;
        for (const [x, y] of a) { const d = nx * x + ny * y; amin = Math.min(amin, d); amax = Math.max(amax, d); }
        for (const [x, y] of b) { const d = nx * x + ny * y; bmin = Math.min(bmin, d); bmax = Math.max(bmax, d); }
        if (amax <= bmin || bmax <= amin) return false;
      }
    }
    return true;
  };
  const inside = (q, [px, py]) => {
    let sign = 0;
    for (let i = 0; i < q.length; i++) {
      const [x1, y1] = q[i], [x2, y2] = q[(i + 1) % q.length];
      const c = (x2 - x1) * (py - y1) - (y2 - y1) * (px - x1);
      if (c === 0) continue;
      if (sign === 0) sign = Math.sign(c); else if (Math.sign(c) !== sign) return false;
    }
    return true;
  };
  const shown = (el) => {
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === 'none' || s.visibility === 'hidden' || parseFloat(s.opacity) === 0) return false;
    }
    return true;
  };
  root.querySelectorAll('.sll-figure').forEach((fig, fi) => {
    const title = (fig.querySelector('text.mainheading') || {}).textContent || `figure ${fi + 1}`;
    const svg = fig.querySelector('svg.svg-figure');
    if (!svg) return;
    const area = fig.querySelector('rect.plotarea_background').getBoundingClientRect();
    const texts = [...svg.querySelectorAll('text')]
      .filter(t => t.textContent.trim() && shown(t) && t.getBBox().width > 0)
      .map(t => ({text: t.textContent.trim(), q: shrink(quad(t), 1)}));
    for (let i = 0; i < texts.length; i++)
      for (let j = i + 1; j < texts.length; j++)
        if (overlap(texts[i].q, texts[j].q))
          problems.push(`${title}: texts '${texts[i].text}' and '${texts[j].text}' overlap`);
    const points = [];
    svg.querySelectorAll('g.curve path.line').forEach(path => {
      if (!shown(path) || !path.getAttribute('d')) return;
      const total = path.getTotalLength();
      const n = Math.min(800, Math.max(50, Math.ceil(total / 2)));
      for (let k = 0; k <= n; k++) {
        const p = path.getPointAtLength(total * k / n), s = toScreen(path, p.x, p.y);
        if (s.x >= area.left && s.x <= area.right && s.y >= area.top && s.y <= area.bottom)
          points.push([s.x, s.y]);
      }
    });
    const markers = [...svg.querySelectorAll('path.dot')].filter(shown)
      .map(m => shrink(rectQuad(m.getBoundingClientRect()), 1));
    // bqplot's own legend, drawn inside the plot: its whole box counts, not only its texts.
    const legends = [...svg.querySelectorAll('g.g_legend')].filter(g => shown(g))
      .map(g => g.getBoundingClientRect()).filter(r => r.width > 0 && r.height > 0)
      .map(r => ({text: 'legend box', q: shrink(rectQuad(r), 1)}));
    for (const t of [...texts, ...legends]) {
      if (points.some(p => inside(t.q, p))) problems.push(`${title}: '${t.text}' covers a line`);
      if (markers.some(m => overlap(t.q, m))) problems.push(`${title}: '${t.text}' covers a marker`);
    }
  });
  root.querySelectorAll('button, .widget-label, .widget-label-basic, label, .widget-readout, ' +
                        '.jupyter-widget-Collapse-header span')
    .forEach(el => {
      if (shown(el) && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1)
        problems.push(`'${el.textContent.trim().slice(0, 40)}' is cut (${el.scrollWidth} > ${el.clientWidth} px)`);
    });
  return problems;
}
