import {
  type AudienceRoster,
  audienceReach,
  type BoundGroup,
  bindingMember,
} from '../domain/deadlines/audience.js';
import type { Audience } from '../domain/deadlines/deadline.js';
import type { Notifier } from './notifier.js';
import type { BindingRecord } from './ports.js';

/** The active bound groups an audience reaches for a broadcast: those it addresses, not overseers. */
export function broadcastTargets<B extends BoundGroup & { readonly active: boolean }>(
  audience: Audience,
  bindings: readonly B[],
  roster: AudienceRoster,
): B[] {
  return bindings.filter(
    (b) => b.active && audienceReach(audience, bindingMember(b), roster) === 'addressed',
  );
}

export interface BroadcastReport {
  readonly sent: number;
  readonly failed: number;
}

/** Sends one text to every target through the paced queue; counts outcomes. */
export async function sendBroadcast(
  notifier: Notifier,
  targets: readonly BindingRecord[],
  text: string,
): Promise<BroadcastReport> {
  const outcomes = await Promise.all(
    targets.map((b) => notifier.enqueue({ chatId: b.chatId, threadId: b.threadId, text })),
  );
  const sent = outcomes.filter((o) => o.ok).length;
  return { sent, failed: outcomes.length - sent };
}
