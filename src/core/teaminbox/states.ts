/**
 * A team-inbox conversation's state, and the one rule for how it moves. The store applies it to
 * rep actions (claim, assign, close, reopen, "waiting on buyer") and to mail the sync sees; the
 * faces use it to decide which buttons make sense. Pure: no clock, no storage.
 *
 *   new ──assign/claim──▶ assigned ──our reply──▶ answered ──mark waiting──▶ waiting
 *    ▲                      ▲  ▲                                              │
 *    └──── buyer writes ────┘  └───────────── buyer writes again ─────────────┘
 *   any open state ──close──▶ closed ──buyer writes / reopen──▶ assigned (or new when nobody has it)
 */

export const TEAM_STATES = ['new', 'assigned', 'answered', 'waiting', 'closed'] as const;
export type TeamState = (typeof TEAM_STATES)[number];

export type TeamEvent =
  | { type: 'buyer-wrote' }
  | { type: 'we-replied' }
  | { type: 'assign'; assigneeId: string }
  | { type: 'unassign' }
  | { type: 'wait' }
  | { type: 'close' }
  | { type: 'reopen' };

export interface TeamStatus {
  state: TeamState;
  assigneeId: string | null;
}

export type Transition = { ok: true; status: TeamStatus; reopened: boolean } | { ok: false; reason: string };

const openState = (assigneeId: string | null): TeamState => (assigneeId ? 'assigned' : 'new');

export function isTeamState(value: string): value is TeamState {
  return (TEAM_STATES as readonly string[]).includes(value);
}

/** Where a conversation goes on an event; refusals say why in words a rep can read. */
export function transition(current: TeamStatus, event: TeamEvent): Transition {
  const { state, assigneeId } = current;
  const to = (next: TeamState, who: string | null = assigneeId, reopened = false): Transition => ({ ok: true, status: { state: next, assigneeId: who }, reopened });
  switch (event.type) {
    case 'buyer-wrote':
      // The buyer writing again always needs an answer: back to the assignee's (or the team's) queue.
      if (state === 'closed') return to(openState(assigneeId), assigneeId, true);
      if (state === 'answered' || state === 'waiting') return to(openState(assigneeId));
      return to(state);
    case 'we-replied':
      // A reply to a closed conversation (a thank-you) does not reopen it.
      return state === 'closed' ? to('closed') : to('answered');
    case 'assign':
      if (state === 'closed') return { ok: false, reason: 'the conversation is closed: reopen it first' };
      return to(state === 'new' ? 'assigned' : state, event.assigneeId);
    case 'unassign':
      if (state === 'closed') return { ok: false, reason: 'the conversation is closed: reopen it first' };
      return to(state === 'assigned' ? 'new' : state, null);
    case 'wait':
      if (state !== 'answered') return { ok: false, reason: state === 'waiting' ? 'already waiting on the buyer' : 'only an answered conversation can wait on the buyer' };
      return to('waiting');
    case 'close':
      if (state === 'closed') return { ok: false, reason: 'already closed' };
      return to('closed');
    case 'reopen':
      if (state !== 'closed') return { ok: false, reason: 'the conversation is not closed' };
      return to(openState(assigneeId), assigneeId, true);
  }
}

/** States in which the team still owes the buyer something (lists, load, the clock). */
export const OPEN_STATES: readonly TeamState[] = ['new', 'assigned', 'answered', 'waiting'];
