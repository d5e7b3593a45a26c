import type { Page } from 'playwright-core';

export interface CutText {
  /** What the element holds in full. */
  text: string;
  /** Where it sits, for the failure message: its test id, class or tag, and its parent's. */
  where: string;
  /** Pixels of it out of view. */
  hiddenPx: number;
}

/**
 * Every piece of text on screen that a trader cannot read in full, as the browser laid it out:
 * text wider than its own box (clipped or ellipsed), or a box reaching past an ancestor that clips
 * it without letting it scroll. Text elided on purpose carries its whole value in a `title`, and
 * text inside a scroll container is reachable by scrolling: neither counts. A row cut at the bottom
 * of a list marked `data-rows-fit` (as many rows as fit, the newest first) is not counted either. Hidden elements and
 * anything under a dialog's backdrop are skipped.
 */
export async function cutTexts(page: Page, rootSelector = 'body'): Promise<CutText[]> {
  return page.evaluate((rootSel) => {
    const root = document.querySelector(rootSel);
    if (!root) return [];
    const out: { text: string; where: string; hiddenPx: number }[] = [];
    const describe = (el: Element): string => {
      const id = (e: Element | null) =>
        e ? (e.getAttribute('data-testid') ?? (e.getAttribute('aria-label') || null) ?? `${e.tagName.toLowerCase()}${e.classList.length ? '.' + [...e.classList].join('.') : ''}`) : '';
      return `${id(el.parentElement)} > ${id(el)}`;
    };
    const titled = (el: Element): boolean => {
      for (let e: Element | null = el; e && e !== root.parentElement; e = e.parentElement) {
        const t = e.getAttribute('title');
        if (t && t.replace(/\s+/g, ' ').includes((el.textContent ?? '').trim().replace(/\s+/g, ' '))) return true;
      }
      return false;
    };
    const clipsWithoutScroll = (style: CSSStyleDeclaration, axis: 'x' | 'y'): boolean => {
      const v = axis === 'x' ? style.overflowX : style.overflowY;
      return v === 'hidden' || v === 'clip';
    };
    // Leaves: elements whose own text nodes carry something to read.
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const seen = new Set<Element>();
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!(n.textContent ?? '').trim()) continue;
      const el = n.parentElement;
      if (!el || seen.has(el)) continue;
      seen.add(el);
      if (el.closest('option, script, style, [aria-hidden="true"], select')) continue;
      const rect = el.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0) continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden') continue;
      const text = (el.textContent ?? '').trim();
      // Text wider than its own box, with the box clipping (ellipsis or hidden).
      if (el.scrollWidth > el.clientWidth + 1 && clipsWithoutScroll(style, 'x') && !titled(el)) {
        out.push({ text, where: describe(el), hiddenPx: el.scrollWidth - el.clientWidth });
        continue;
      }
      // The box reaching past an ancestor that clips and does not scroll.
      let whollyHidden = false;
      for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
        const s = getComputedStyle(a);
        if (s.display === 'contents') continue;
        const scrolls = ['auto', 'scroll'].includes(s.overflowX) || ['auto', 'scroll'].includes(s.overflowY);
        if (scrolls) break;
        const r = a.getBoundingClientRect();
        const overX = Math.max(0, rect.right - r.right, r.left - rect.left);
        const overY = Math.max(0, rect.bottom - r.bottom, r.top - rect.top);
        // Only a partial cut misleads: a row or hint wholly past the edge is not shown at all
        // (lists that show as many rows as fit, hints that wrap out of the status bar).
        const partX = overX > 1 && overX < rect.width - 1;
        const partY = overY > 1 && overY < rect.height - 1 && !el.closest('[data-rows-fit]');
        if ((clipsWithoutScroll(s, 'x') && overX >= rect.width - 1) || (clipsWithoutScroll(s, 'y') && overY >= rect.height - 1)) whollyHidden = true;
        const cutX = clipsWithoutScroll(s, 'x') && partX;
        const cutY = clipsWithoutScroll(s, 'y') && partY;
        if ((cutX || cutY) && !titled(el)) {
          out.push({ text, where: `${describe(el)} (clipped by ${describe(a)})`, hiddenPx: Math.round(Math.max(cutX ? overX : 0, cutY ? overY : 0)) });
          break;
        }
      }
      // And past the window itself.
      if (whollyHidden) continue;
      // Drawn over by something else laid on top of it (a panel that overflowed onto the next).
      // Toasts and dialogs sit on top on purpose and are not counted.
      // Probe the middle of the part its clipping and scrolling ancestors leave visible (none:
      // scrolled out of view, reachable by scrolling).
      let vis = { left: rect.left, top: rect.top, right: rect.right, bottom: rect.bottom };
      for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
        const s = getComputedStyle(a);
        if (s.display === 'contents' || s.overflowX === 'visible' || s.overflowY === 'visible') continue;
        const r = a.getBoundingClientRect();
        vis = { left: Math.max(vis.left, r.left), top: Math.max(vis.top, r.top), right: Math.min(vis.right, r.right), bottom: Math.min(vis.bottom, r.bottom) };
      }
      if (vis.right - vis.left < 1 || vis.bottom - vis.top < 1) continue;
      const cx = Math.min((vis.left + vis.right) / 2, window.innerWidth - 1);
      const cy = Math.min((vis.top + vis.bottom) / 2, window.innerHeight - 1);
      const probe = document.elementFromPoint(cx, cy);
      if (probe && probe !== el && !el.contains(probe) && !probe.contains(el) && !probe.closest('[role="dialog"], .toasts, .dialog-backdrop, .alert-toasts')) {
        out.push({ text, where: `${describe(el)} (covered by ${describe(probe)})`, hiddenPx: Math.round(rect.height) });
        continue;
      }
      if ((rect.right > window.innerWidth + 1 && rect.left < window.innerWidth - 1) || (rect.bottom > window.innerHeight + 1 && rect.top < window.innerHeight - 1)) {
        const inScroller = (() => {
          for (let a = el.parentElement; a; a = a.parentElement) {
            const s = getComputedStyle(a);
            if (['auto', 'scroll'].includes(s.overflowX) || ['auto', 'scroll'].includes(s.overflowY)) return true;
          }
          return false;
        })();
        if (!inScroller && !out.some((o) => o.text === text)) out.push({ text, where: `${describe(el)} (past the window)`, hiddenPx: Math.round(Math.max(rect.right - window.innerWidth, rect.bottom - window.innerHeight)) });
      }
    }
    return out;
  }, rootSelector);
}
