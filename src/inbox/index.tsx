// First: asks the store for the first screen before React and Fluent UI are evaluated (boot.ts).
import { firstLoad } from './boot.js';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { TeamInboxApp } from './app.js';

/**
 * How long the page waits for the first screen's answers before its first render. They usually
 * arrive while the script is still evaluated; waiting a little more lets the first render show the
 * list (one render, no spinner in between) rather than a spinner and then the list.
 */
const FIRST_SCREEN_WAIT_MS = 250;

/** The web team inbox, served by the store at /inbox (docs/team-inbox.md). */
const start = () => {
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <TeamInboxApp firstLoad={firstLoad} />
    </StrictMode>,
  );
  // A task queued from the next frame's callback runs once that frame is painted.
  const early = firstLoad;
  if (early) requestAnimationFrame(() => setTimeout(() => early.keepToken()));
};
if (firstLoad) void firstLoad.ready(FIRST_SCREEN_WAIT_MS).then(start);
else start();
