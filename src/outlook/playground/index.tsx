import { StrictMode, useEffect, useReducer, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { installOffice } from './office-standin.js';
import { SimulatedMailbox, type EventOutcome, type Person } from './simulated-mailbox.js';
import { EventsRuntime } from './events-runtime.js';
import type { DevTeamItem } from '../../contract/system.js';
import { textToHtml } from '../../core/teaminbox/notices.js';

/**
 * The playground: the REAL task pane bundle (taskpane.html in a frame) and the REAL event
 * handlers (the events bundle in a frame of its own, like Outlook's event runtime) beside a
 * simulated message window, all talking to one SimulatedMailbox through the Office.js stand-in.
 * A dev harness: served only by a dev-mode store at /dev/playground, on this machine, and never
 * named in a manifest.
 */

const LOOPBACK = ['localhost', '127.0.0.1', '[::1]', '::1'];

const params = new URLSearchParams(window.location.hash.slice(1));
const token = params.get('token') ?? '';
const me: Person = { name: params.get('name') || 'Demo Rep', address: params.get('email') || 'rep@demo.tradepane.test' };
if (token) history.replaceState(null, '', window.location.pathname + window.location.search);

const mailbox = new SimulatedMailbox(me);
const events = new EventsRuntime(mailbox);

declare global {
  interface Window {
    /** Read by taskpane.html (to install the stand-in) and by the end-to-end tests (to inspect the pretend item). */
    tradepanePlayground?: { installOffice(win: Window): void; mailbox: SimulatedMailbox; events: EventsRuntime };
  }
}
window.tradepanePlayground = { installOffice: (win) => installOffice(win as Window & typeof globalThis, mailbox), mailbox, events };

const addresses = (text: string): Person[] =>
  text
    .split(/[,;]/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((address) => ({ name: '', address }));
const addressText = (list: Person[]) => list.map((p) => p.address).join(', ');

function useMailbox(): number {
  const [version, bump] = useReducer((n: number) => n + 1, 0);
  useEffect(() => mailbox.subscribe(bump), []);
  return version;
}

/** The message body: editable like Outlook's, and the place template inserts land (at the saved cursor). */
function BodyEditor({ itemKey }: { itemKey: number }) {
  const ref = useRef<HTMLDivElement>(null);
  const saved = useRef<Range | null>(null);
  const html = mailbox.compose?.bodyHtml ?? '';

  useEffect(() => {
    const el = ref.current;
    if (el && el.innerHTML !== html) el.innerHTML = html;
  });

  useEffect(() => {
    const remember = () => {
      const selection = document.getSelection();
      if (selection && selection.rangeCount > 0 && ref.current?.contains(selection.anchorNode)) saved.current = selection.getRangeAt(0).cloneRange();
    };
    document.addEventListener('selectionchange', remember);
    mailbox.editor = {
      insertHtml(insert) {
        const el = ref.current!;
        let range = saved.current && el.contains(saved.current.startContainer) ? saved.current : null;
        if (!range) {
          range = document.createRange();
          range.setStart(el, 0);
          range.collapse(true);
        }
        range.deleteContents();
        const fragment = range.createContextualFragment(insert);
        const last = fragment.lastChild;
        range.insertNode(fragment);
        if (last) {
          range.setStartAfter(last);
          range.collapse(true);
          saved.current = range;
        }
        return el.innerHTML;
      },
    };
    return () => {
      document.removeEventListener('selectionchange', remember);
      mailbox.editor = null;
    };
  }, [itemKey]);

  return (
    <div
      ref={ref}
      className="body"
      contentEditable
      suppressContentEditableWarning
      role="textbox"
      aria-multiline="true"
      aria-label="Message body"
      onInput={() => {
        if (mailbox.compose && ref.current) mailbox.compose.bodyHtml = ref.current.innerHTML;
      }}
      onBlur={() => mailbox.changed()}
    />
  );
}

function ComposeWindow() {
  useMailbox();
  const compose = mailbox.compose!;
  const [sending, setSending] = useState(false);
  const [outcome, setOutcome] = useState<EventOutcome | 'sent' | null>(null);

  const send = async () => {
    setSending(true);
    setOutcome(null);
    try {
      const result = events.has('OnMessageSend') ? await events.run('OnMessageSend') : null;
      setOutcome(result && result.allowEvent === false ? result : 'sent');
    } catch (error) {
      setOutcome({ event: 'OnMessageSend', allowEvent: undefined, errorMessage: String(error), timedOut: true });
    } finally {
      setSending(false);
    }
  };

  return (
    <form className="window" aria-label="Simulated compose window" onSubmit={(e) => e.preventDefault()}>
      <label>
        From <input value={`${compose.from.name} <${compose.from.address}>`} readOnly />
      </label>
      <label>
        To <input aria-label="To" value={addressText(compose.to)} onChange={(e) => ((compose.to = addresses(e.target.value)), mailbox.changed())} />
      </label>
      <label>
        Subject <input aria-label="Subject" value={compose.subject} onChange={(e) => ((compose.subject = e.target.value), mailbox.changed())} />
      </label>
      <BodyEditor itemKey={mailbox.itemKey()} />
      <p className="meta" aria-label="Scheduled delivery">
        {compose.delayDeliveryTime ? `Delayed delivery: ${new Date(compose.delayDeliveryTime).toISOString()}` : 'Delayed delivery: none (sends on Send)'}
      </p>
      <p className="meta">Outlook's own signature: {compose.clientSignatureEnabled ? 'on' : 'off (turned off by the add-in)'}</p>
      <p className="meta" aria-label="Attachments">
        Attachments: {mailbox.attachments.length ? mailbox.attachments.map((a) => `${a.name} (${Math.ceil((a.base64.length * 3) / 4 / 1024)} KB)`).join(', ') : 'none'}
      </p>
      <div className="buttons">
        <button type="button" onClick={() => void send()} disabled={sending}>
          Send
        </button>
      </div>
      {outcome === 'sent' && (
        <p role="status" className="ok">
          Sent (the playground does not deliver mail).
        </p>
      )}
      {outcome && outcome !== 'sent' && (
        <div role="alert" className="blocked" aria-label="Send blocked">
          <strong>{outcome.sendModeOverride === 'promptUser' ? 'Outlook asks before sending' : 'Send blocked'}{outcome.timedOut ? ' (the handler did not complete)' : ''}:</strong> {outcome.errorMessage}
          {outcome.sendModeOverride === 'promptUser' ? (
            <button type="button" onClick={() => setOutcome('sent')}>
              Send anyway
            </button>
          ) : null}
          {outcome.cancelLabel && outcome.commandId ? (
            <button type="button" onClick={() => void events.command(outcome.commandId!).then(() => setOutcome(null))}>
              {outcome.cancelLabel}
            </button>
          ) : null}
        </div>
      )}
    </form>
  );
}

function ReadWindow() {
  useMailbox();
  const read = mailbox.read!;
  return (
    <section className="window" aria-label="Simulated received message">
      <p>
        <strong>From:</strong> {read.from.name} &lt;{read.from.address}&gt;
      </p>
      <p>
        <strong>To:</strong> {addressText(read.to)}
      </p>
      <p>
        <strong>Subject:</strong> {read.subject}
      </p>
      <p className="meta">
        Date: {read.dateHeader} · Message-ID: {read.internetMessageId}
      </p>
      {read.sharedMailbox && (
        <p className="meta" aria-label="Shared mailbox">
          In the shared mailbox {read.sharedMailbox} (getSharedPropertiesAsync {mailbox.sharedPropertiesApi ? 'names it' : 'is missing in this client'})
        </p>
      )}
      <div className="buttons">
        <button type="button" onClick={() => mailbox.openReplyForm('')}>
          Reply
        </button>
      </div>
      <div className="body" dangerouslySetInnerHTML={{ __html: read.bodyHtml }} />
      {mailbox.replyFormHtml !== null && (
        <section aria-label="Reply form" className="reply">
          <h3>Reply form opened by the add-in</h3>
          <div className="body" dangerouslySetInnerHTML={{ __html: mailbox.replyFormHtml }} />
        </section>
      )}
    </section>
  );
}

function receivedMessage(): void {
  mailbox.open({
    mode: 'read',
    read: {
      from: { name: 'Anna Schmidt', address: 'anna@hamburg-import.de' },
      to: [me],
      cc: [],
      subject: 'Inquiry: LED panels for our stores',
      bodyHtml: '<p>Hello, we are interested in 2,000 LED panels (60×60). Please send your best price FOB Ningbo.</p><p>Anna Schmidt<br>Hamburg Import GmbH</p>',
      internetMessageId: `<playground-${Date.now()}@hamburg-import.de>`,
      conversationId: 'AAQkAGPlaygroundConversation1',
      dateTimeCreated: Date.now() - 3600_000,
      dateHeader: new Date(Date.now() - 3600_000).toUTCString().replace('GMT', '+0000'),
    },
  });
}

/**
 * A message in the shared mailbox info@ (a team inbox): the store's dev-only seed makes the demo
 * team inbox and its inquiry once (/dev/team-demo) and answers the mail as Outlook would show it.
 */
async function teamMessage(): Promise<void> {
  const response = await fetch(`/dev/team-demo?email=${encodeURIComponent(me.address)}`, { method: 'POST' });
  if (!response.ok) throw new Error(`the store answered ${response.status}: ${await response.text()}`);
  const item = (await response.json()) as DevTeamItem;
  mailbox.open({
    mode: 'read',
    read: {
      from: item.from,
      to: [{ name: '', address: item.roleAddress }],
      cc: [],
      subject: item.subject,
      bodyHtml: textToHtml(item.text),
      internetMessageId: item.internetMessageId,
      conversationId: item.threadId,
      dateTimeCreated: Date.parse(item.receivedAt),
      dateHeader: item.dateHeader,
      sharedMailbox: item.roleAddress,
    },
  });
}

function Playground() {
  useMailbox();
  const [paneKey, reloadPane] = useReducer((n: number) => n + 1, 0);
  const [eventsState, setEventsState] = useState<string>('loading the events bundle…');
  const [teamProblem, setTeamProblem] = useState<string | null>(null);

  useEffect(() => {
    events.start().then(
      (names) => setEventsState(`handlers registered: ${names.join(', ') || 'none'}`),
      (error: unknown) => setEventsState(`events bundle not loaded: ${String(error)}`),
    );
  }, []);

  // A reply the add-in opens (displayReplyForm) gets what a new compose window gets: the launch event.
  useEffect(() => {
    mailbox.composeOpened = () => {
      if (events.has('OnNewMessageCompose')) void events.run('OnNewMessageCompose').catch(() => undefined);
    };
    return () => {
      mailbox.composeOpened = null;
    };
  }, []);

  const newMessage = async () => {
    mailbox.newMessage();
    if (events.has('OnNewMessageCompose')) await events.run('OnNewMessageCompose').catch(() => undefined);
  };

  if (!LOOPBACK.includes(window.location.hostname)) return <p role="alert">The playground is a dev harness and runs only on this machine (localhost).</p>;
  if (!token) return <p role="alert">Open the playground through the store: /dev/playground?email=rep@demo.tradepane.test (dev mode).</p>;

  return (
    <>
      <header>
        <h1>tradepane playground</h1>
        <p className="harness">
          Dev harness — not Outlook. The task pane and the event handlers are the real bundles; Office.js is a stand-in simulating one mailbox ({me.address}).
        </p>
        <div className="buttons">
          <button type="button" onClick={() => void newMessage()}>
            New message
          </button>
          <button type="button" onClick={receivedMessage}>
            Open a received message
          </button>
          <button type="button" onClick={() => void teamMessage().then(() => setTeamProblem(null), (error: unknown) => setTeamProblem(String(error)))}>
            Open info@ team mail (shared mailbox)
          </button>
          <label>
            Outlook language{' '}
            <select
              aria-label="Outlook language"
              value={mailbox.displayLanguage}
              onChange={(e) => {
                mailbox.displayLanguage = e.target.value;
                reloadPane();
              }}
            >
              <option value="en-US">English (en-US)</option>
              <option value="zh-CN">简体中文 (zh-CN)</option>
            </select>
          </label>
          <label>
            <input
              type="checkbox"
              checked={mailbox.mailboxVersion === '1.14'}
              onChange={(e) => {
                mailbox.mailboxVersion = e.target.checked ? '1.14' : '1.12';
                reloadPane();
              }}
            />{' '}
            Mailbox 1.13+ (scheduled sending)
          </label>
          <label>
            <input
              type="checkbox"
              checked={mailbox.sharedPropertiesApi}
              onChange={(e) => {
                mailbox.sharedPropertiesApi = e.target.checked;
                reloadPane();
              }}
            />{' '}
            getSharedPropertiesAsync (off: like new Outlook)
          </label>
        </div>
        <p className="meta" aria-label="Events runtime">
          Events runtime: {eventsState}
        </p>
        {teamProblem && <p role="alert">Team mail not opened: {teamProblem}</p>}
      </header>
      <main>
        <div className="item">
          {mailbox.item.mode === 'compose' && <ComposeWindow key={mailbox.itemKey()} />}
          {mailbox.item.mode === 'read' && <ReadWindow key={mailbox.itemKey()} />}
          {mailbox.item.mode === 'none' && <p className="window">No item selected. Start a new message or open a received one.</p>}
          {mailbox.newMessageForm && (
            <section aria-label="New message form" className="window reply">
              <h3>New message form opened by the add-in</h3>
              <p>
                <strong>To:</strong> {mailbox.newMessageForm.to.join(', ')}
              </p>
              <p>
                <strong>Subject:</strong> {mailbox.newMessageForm.subject}
              </p>
              <div className="body" dangerouslySetInnerHTML={{ __html: mailbox.newMessageForm.html }} />
            </section>
          )}
          {mailbox.notifications.length > 0 && (
            <ul aria-label="Notifications" className="notifications">
              {mailbox.notifications.map((n) => (
                <li key={n.key}>
                  {n.type}: {n.message}
                </li>
              ))}
            </ul>
          )}
          <details>
            <summary>Event log ({mailbox.eventLog.length})</summary>
            <ol aria-label="Event log">
              {mailbox.eventLog.map((e, i) => (
                <li key={i}>
                  {e.event}: {e.timedOut ? 'did not complete' : e.allowEvent === false ? `blocked — ${e.errorMessage ?? ''}` : 'completed'}
                </li>
              ))}
            </ol>
          </details>
        </div>
        <iframe key={paneKey} className="pane" title="tradepane task pane" src={`/addin/taskpane.html#token=${encodeURIComponent(token)}`} />
      </main>
    </>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Playground />
  </StrictMode>,
);
