import type { UnitKind } from '../domain/roster.js';
import type { RowError } from './roster-file.js';

/**
 * The difference between a roster file and the database, per province present in the file
 * (provinces absent from the file are never touched).
 */

/** Fields compared between a file row and the stored unit, named as the database names them. */
export type UnitFieldName = 'prefecture' | 'kind' | 'county' | 'contact_person' | 'contact_phone';

export interface UnitValues {
  readonly name: string;
  readonly prefecture: string;
  readonly kind: UnitKind;
  readonly county: string | null;
  readonly contactPerson: string | null;
  readonly contactPhone: string | null;
}

export interface FieldChange {
  readonly field: UnitFieldName;
  readonly from: string | null;
  readonly to: string | null;
}

export interface ChangedUnit {
  readonly id: number;
  readonly name: string;
  readonly row: number;
  readonly changes: readonly FieldChange[];
  /** Groups bound to the unit (their prefecture follows a move). */
  readonly boundGroups: number;
}

export interface AddedUnit extends UnitValues {
  readonly row: number;
}

export interface RemovedUnit extends UnitValues {
  readonly id: number;
  /** Groups bound to the unit: they lose their binding (foreign key cascade). */
  readonly boundGroups: number;
  /** 已完成 marks of the unit: deleted with it. */
  readonly acknowledgements: number;
  /** Deadlines addressed to the unit by id: it drops out of their audience. */
  readonly deadlines: number;
}

export interface AddedCity {
  readonly name: string;
  readonly pilotCity: boolean;
}

export interface RemovedCity {
  readonly name: string;
  readonly pilotCity: boolean;
  /** City groups bound to it: they stay bound to a prefecture that is no longer in the roster. */
  readonly boundGroups: number;
  readonly coordinators: number;
}

export interface ChangedCity {
  readonly name: string;
  readonly pilotCity: { readonly from: boolean; readonly to: boolean };
}

export interface ProvinceDiff {
  readonly province: string;
  readonly before: { readonly units: number; readonly cities: number };
  readonly after: { readonly units: number; readonly cities: number };
  readonly units: {
    readonly added: readonly AddedUnit[];
    readonly changed: readonly ChangedUnit[];
    readonly removed: readonly RemovedUnit[];
    readonly unchanged: number;
  };
  readonly cities: {
    readonly added: readonly AddedCity[];
    readonly changed: readonly ChangedCity[];
    readonly removed: readonly RemovedCity[];
  };
  /** Without `prune`: stored units and cities absent from the file, which stay as they are. */
  readonly kept: { readonly units: number; readonly cities: number };
}

export interface DiffTotals {
  readonly addedUnits: number;
  readonly changedUnits: number;
  readonly removedUnits: number;
  /** Units absent from the file that stay (no `prune`). */
  readonly keptUnits: number;
  readonly addedCities: number;
  readonly changedCities: number;
  readonly removedCities: number;
  /** Unit groups that lose their binding because their unit is removed. */
  readonly lostBindings: number;
  readonly lostAcknowledgements: number;
}

export interface RosterDiff {
  readonly provinces: readonly ProvinceDiff[];
  readonly totals: DiffTotals;
  /** True when applying the file would change nothing. */
  readonly empty: boolean;
}

export interface ImportOutcome {
  readonly ok: boolean;
  readonly errors: readonly RowError[];
  readonly diff: RosterDiff | null;
  /** True when the changes were written (false for a dry run, a rejected file or no changes). */
  readonly applied: boolean;
  /** How the file was read (null when it could not be). */
  readonly file: {
    readonly name: string;
    readonly format: string;
    readonly encoding: string;
    readonly rows: number;
  } | null;
}
