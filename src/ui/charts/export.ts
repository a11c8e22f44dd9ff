/**
 * A figure as a file: its charts (every `svg[data-export]` inside it, stacked) as one standalone
 * SVG with a title, the same drawn onto a canvas as PNG, and its data as CSV.
 */

/** Presentation properties copied from the page's computed styles, so the file needs no stylesheet. */
const PROPS = ['fill', 'stroke', 'stroke-width', 'stroke-dasharray', 'opacity', 'font-size', 'font-family', 'font-weight', 'text-anchor', 'paint-order'];
const SVG_NS = 'http://www.w3.org/2000/svg';
const PAD = 12;
const TITLE = 28;
const GAP = 12;

function inlineStyles(original: Element, clone: Element): void {
  const from = [original, ...original.querySelectorAll('*')];
  const to = [clone, ...clone.querySelectorAll('*')];
  from.forEach((el, i) => {
    if (el.tagName === 'title') return;
    const style = getComputedStyle(el);
    for (const p of PROPS) {
      if (to[i].hasAttribute(p)) continue;
      const v = style.getPropertyValue(p);
      if (v && v !== 'normal') to[i].setAttribute(p, v);
    }
  });
}

/** One SVG document of the figure's charts under its title, white background. */
export function figureSvg(container: Element, title: string): { markup: string; width: number; height: number } {
  const charts = [...container.querySelectorAll<SVGSVGElement>('svg[data-export]')];
  const width = Math.ceil(Math.max(320, ...charts.map((c) => Number(c.getAttribute('width')) || c.getBoundingClientRect().width))) + 2 * PAD;
  const root = document.createElementNS(SVG_NS, 'svg');
  const background = document.createElementNS(SVG_NS, 'rect');
  background.setAttribute('width', '100%');
  background.setAttribute('height', '100%');
  background.setAttribute('fill', '#ffffff');
  root.append(background);
  const heading = document.createElementNS(SVG_NS, 'text');
  heading.setAttribute('x', String(PAD));
  heading.setAttribute('y', String(PAD + 14));
  heading.setAttribute('font-size', '14');
  heading.setAttribute('font-weight', '600');
  heading.setAttribute('font-family', 'system-ui, sans-serif');
  heading.setAttribute('fill', '#1d2330');
  heading.textContent = title;
  root.append(heading);
  let y = PAD + TITLE;
  for (const chart of charts) {
    const clone = chart.cloneNode(true) as SVGSVGElement;
    inlineStyles(chart, clone);
    const h = Number(chart.getAttribute('height')) || chart.getBoundingClientRect().height;
    for (const a of ['role', 'aria-label', 'data-testid', 'data-export', 'class', 'style']) clone.removeAttribute(a);
    clone.setAttribute('x', String(PAD));
    clone.setAttribute('y', String(y));
    clone.setAttribute('overflow', 'visible');
    root.append(clone);
    y += h + GAP;
  }
  const height = Math.ceil(y - GAP + PAD);
  root.setAttribute('xmlns', SVG_NS);
  root.setAttribute('width', String(width));
  root.setAttribute('height', String(height));
  root.setAttribute('viewBox', `0 0 ${width} ${height}`);
  return { markup: new XMLSerializer().serializeToString(root), width, height };
}

/** Hands a file to the browser's download. */
export function saveFile(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function saveSvg(container: Element, title: string, filename: string): void {
  saveFile(new Blob([figureSvg(container, title).markup], { type: 'image/svg+xml' }), filename);
}

/** The SVG drawn at twice its size onto a canvas (a data: URL, which the site's policy allows for images). */
export async function savePng(container: Element, title: string, filename: string): Promise<void> {
  const { markup, width, height } = figureSvg(container, title);
  const image = new Image();
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(markup)}`;
  await image.decode();
  const scale = 2;
  const canvas = document.createElement('canvas');
  canvas.width = width * scale;
  canvas.height = height * scale;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('this browser has no 2D canvas to draw the PNG on');
  ctx.scale(scale, scale);
  ctx.drawImage(image, 0, 0, width, height);
  const blob = await new Promise<Blob | null>((ok) => canvas.toBlob(ok, 'image/png'));
  if (!blob) throw new Error('the canvas gave no PNG');
  saveFile(blob, filename);
}

export function saveCsv(csv: string, filename: string): void {
  saveFile(new Blob([csv], { type: 'text/csv;charset=utf-8' }), filename);
}
