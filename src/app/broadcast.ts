import type { Audience } from '../domain/deadlines/deadline.js';
import type { Notifier } from './notifier.js';
import type { BindingRecord } from './ports.js';

/** The active bound groups an audience reaches for a broadcast. */
export function broadcastTargets(
  audience: Audience,
  bindings: readonly BindingRecord[],
  pilotCities: ReadonlySet<string>,
): BindingRecord[] {
  return bindings.filter((b) => b.active && reaches(audience, b, pilotCities));
}

function reaches(audience: Audience, b: BindingRecord, pilotCities: ReadonlySet<string>): boolean {
  switch (audience.kind) {
    case 'all_units':
      return true;
    case 'pilot_cities':
      return b.kind === 'city' && pilotCities.has(b.prefecture);
    case 'coordinators':
      return b.kind === 'city';
    case 'prefecture':
      return b.prefecture === audience.prefecture;
    case 'units':
      return b.kind === 'unit' && b.unitId !== null && audience.unitIds.includes(b.unitId);
  }
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
