import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import './app/app.css';
import { terminalApi } from './bridge/terminal.ts';

// Connect first: the headless host's launch token leaves the address bar before anything renders.
terminalApi();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
