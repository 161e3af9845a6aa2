import { COMMANDS, HANDLERS } from '../events/names.js';
import { installOffice } from './office-standin.js';
import type { EventOutcome, SimulatedMailbox } from './simulated-mailbox.js';

/**
 * The playground's event runtime: the real events bundle, loaded into a hidden frame of its own
 * (as Outlook loads it into its event runtime) with the Office.js stand-in installed first. The
 * bundle registers its handlers with `Office.actions.associate` at top level; `run` then fires
 * one the way Outlook does (OnNewMessageCompose, OnMessageSend …).
 */
export const EVENTS_PAGE = '/addin/events.html';

/** Which function Outlook calls for each event and Smart Alerts button: what the manifests declare. */
export const LAUNCH_EVENTS = {
  OnNewMessageCompose: HANDLERS.newMessageCompose,
  OnMessageFromChanged: HANDLERS.messageFromChanged,
  OnMessageSend: HANDLERS.messageSend,
} as const;
export const COMMAND_FUNCTIONS: Record<string, string> = {
  [COMMANDS.reinsertSignature]: HANDLERS.reinsertSignature,
  [COMMANDS.scheduleForClientMorning]: HANDLERS.scheduleForClientMorning,
};
export type LaunchEvent = keyof typeof LAUNCH_EVENTS;

export class EventsRuntime {
  private started: Promise<string[]> | undefined;

  constructor(private readonly mailbox: SimulatedMailbox) {}

  /** Loads the bundle once; resolves with the names of the handlers it registered. */
  start(): Promise<string[]> {
    this.started ??= this.load();
    return this.started;
  }

  /** Whether the bundle registered the function for this launch event. */
  has(event: LaunchEvent): boolean {
    return this.mailbox.handlers.has(LAUNCH_EVENTS[event]);
  }

  /** Fires a launch event: Outlook calls the function the manifest names for it. */
  async run(event: LaunchEvent): Promise<EventOutcome> {
    await this.start();
    return this.mailbox.runEvent(LAUNCH_EVENTS[event], { type: event }, event);
  }

  /** A Smart Alerts dialog button (commandId) runs its function command. */
  async command(commandId: string): Promise<EventOutcome> {
    await this.start();
    const name = COMMAND_FUNCTIONS[commandId];
    if (!name) throw new Error(`no function command for ${commandId}`);
    return this.mailbox.runEvent(name, {}, commandId);
  }

  /** The script(s) the events page loads: its page is the one Outlook on the web opens, the script the one classic Windows runs. */
  private async scripts(): Promise<string[]> {
    const response = await fetch(EVENTS_PAGE);
    if (!response.ok) throw new Error(`${EVENTS_PAGE} answered ${response.status}`);
    const page = new DOMParser().parseFromString(await response.text(), 'text/html');
    const sources = [...page.querySelectorAll('script[src]')].map((s) => s.getAttribute('src')!).filter((src) => !/^https?:\/\//i.test(src) || src.startsWith(window.location.origin));
    if (sources.length === 0) throw new Error(`${EVENTS_PAGE} loads no script of ours`);
    return sources;
  }

  private async load(): Promise<string[]> {
    const sources = await this.scripts();
    const frame = document.createElement('iframe');
    frame.title = 'Simulated Outlook event runtime';
    frame.hidden = true;
    document.body.appendChild(frame);
    const win = frame.contentWindow as (Window & typeof globalThis) | null;
    if (!win) throw new Error('could not create the event runtime frame');
    installOffice(win, this.mailbox);
    // An about:blank frame has no origin of its own to derive the store's URL from; say it, as a build would.
    Object.assign(win, { __TRADEPANE_ADDIN__: { storeUrl: window.location.origin, dev: true, clientId: null, apiScope: null } });
    for (const src of sources) {
      await new Promise<void>((resolve, reject) => {
        const script = win.document.createElement('script');
        script.src = new URL(src, window.location.href).href;
        script.onload = () => resolve();
        script.onerror = () => reject(new Error(`could not load ${src}`));
        win.document.head.appendChild(script);
      });
    }
    return [...this.mailbox.handlers.keys()];
  }
}
