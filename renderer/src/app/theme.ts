/** Colours shared by CSS-in-canvas consumers (the chart); the stylesheet mirrors them. */
export const COLORS = {
  background: '#0b0e13',
  panel: '#10141b',
  border: '#1f2631',
  grid: '#161c25',
  text: '#d7dee8',
  muted: '#939cab',
  buy: '#2ebd85',
  sell: '#ff6175',
  buyFaint: 'rgba(46,189,133,0.35)',
  sellFaint: 'rgba(246,70,93,0.35)',
  accent: '#4c8dff',
  warn: '#f0b90b',
  /** The chain's peer venue (Derive) wherever it sits beside Deribit. */
  peer: '#b48cff',
} as const;
