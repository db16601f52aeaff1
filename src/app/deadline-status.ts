import { audienceRoster, audienceUnits } from '../domain/deadlines/audience.js';
import type { Deadline } from '../domain/deadlines/deadline.js';
import type { Roster, Unit } from '../domain/roster.js';
import type { Acknowledgement, DeadlinesPort } from './ports.js';

/** How far a deadline's audience is: its units (in roster order) and their 已完成 marks. */
export interface DeadlineProgress {
  readonly deadline: Deadline;
  readonly units: readonly Unit[];
  /** Marks by unit id. */
  readonly done: ReadonlyMap<number, Acknowledgement>;
}

/** The completion status of a deadline, for /status and its XLSX export. */
export class DeadlineStatus {
  constructor(
    private readonly deps: {
      readonly deadlines: Pick<DeadlinesPort, 'get' | 'acknowledgements'>;
      /** The current roster (cached by the answer service). */
      readonly roster: () => Roster;
    },
  ) {}

  /** The progress of deadline `id`, limited to one prefecture's units when given; null when gone. */
  of(id: number, prefecture: string | null = null): DeadlineProgress | null {
    const deadline = this.deps.deadlines.get(id);
    if (!deadline) return null;
    const roster = this.deps.roster();
    const units = audienceUnits(deadline.audience, audienceRoster(roster));
    const byId = new Map(roster.units.map((u) => [u.id, u]));
    return {
      deadline,
      units: units
        .filter((u) => !prefecture || u.prefecture === prefecture)
        .flatMap((u) => byId.get(u.id) ?? []),
      done: new Map(this.deps.deadlines.acknowledgements(id).map((a) => [a.unitId, a])),
    };
  }
}
