import { pilotCitiesOf, type Roster } from '../roster.js';
import type { Audience } from './deadline.js';

/**
 * What a deadline's audience covers, decided once for everything that asks: the reminder planner,
 * broadcasts, the deadline lists of a group and the status of a deadline.
 *
 * | audience       | units counted          | unit group           | city group                  | coordinator chat |
 * | all_units      | every unit             | addressed            | addressed                   | —                |
 * | pilot_cities   | units of pilot cities  | —                    | addressed if a pilot city   | —                |
 * | prefecture P   | units of P             | addressed if in P    | addressed if P              | —                |
 * | units [ids]    | those units            | addressed if listed  | overseer if one is in it    | —                |
 * | coordinators   | none                   | —                    | addressed                   | addressed        |
 */

export interface AudienceUnit {
  readonly id: number;
  readonly prefecture: string;
}

/** The roster as the audience rules read it. */
export interface AudienceRoster<U extends AudienceUnit = AudienceUnit> {
  readonly units: readonly U[];
  readonly pilotCities: ReadonlySet<string>;
}

/** A chat a deadline may concern: a unit's group, a city's group, a provincial coordinator's chat. */
export type AudienceMember =
  | {
      readonly kind: 'unit';
      readonly unitId: number | null;
      /** The unit's prefecture; null when the unit is no longer in the roster. */
      readonly prefecture: string | null;
    }
  | { readonly kind: 'city'; readonly prefecture: string }
  | { readonly kind: 'coordinator' };

/**
 * How an audience concerns a chat: `addressed` (the deadline or the broadcast is for it),
 * `overseer` (a city group following the addressed units of its prefecture: it is reminded with
 * their progress, but a broadcast to those units is not sent to it), or null (not at all).
 */
export type Reach = 'addressed' | 'overseer' | null;

export function audienceReach(audience: Audience, member: AudienceMember, roster: AudienceRoster): Reach {
  const addressed = (yes: boolean): Reach => (yes ? 'addressed' : null);
  if (member.kind === 'coordinator') return addressed(audience.kind === 'coordinators');
  if (member.kind === 'unit') {
    switch (audience.kind) {
      case 'all_units':
        return 'addressed';
      case 'prefecture':
        return addressed(audience.prefecture === member.prefecture);
      case 'units':
        return addressed(member.unitId !== null && audience.unitIds.includes(member.unitId));
      case 'pilot_cities':
      case 'coordinators':
        return null;
    }
  }
  switch (audience.kind) {
    case 'all_units':
    case 'coordinators':
      return 'addressed';
    case 'pilot_cities':
      return addressed(roster.pilotCities.has(member.prefecture));
    case 'prefecture':
      return addressed(audience.prefecture === member.prefecture);
    case 'units':
      return roster.units.some((u) => audience.unitIds.includes(u.id) && u.prefecture === member.prefecture)
        ? 'overseer'
        : null;
  }
}

/** Whether an audience concerns a chat at all (addressed or overseeing). */
export function concerns(audience: Audience, member: AudienceMember, roster: AudienceRoster): boolean {
  return audienceReach(audience, member, roster) !== null;
}

/** The units an audience counts, in roster order: their 已完成 makes a deadline's progress. */
export function audienceUnits<U extends AudienceUnit>(audience: Audience, roster: AudienceRoster<U>): U[] {
  switch (audience.kind) {
    case 'all_units':
      return [...roster.units];
    case 'pilot_cities':
      return roster.units.filter((u) => roster.pilotCities.has(u.prefecture));
    case 'prefecture':
      return roster.units.filter((u) => u.prefecture === audience.prefecture);
    case 'units':
      return roster.units.filter((u) => audience.unitIds.includes(u.id));
    case 'coordinators':
      return [];
  }
}

/** What a binding says about its group: a city's or a unit's (then its prefecture is the unit's). */
export interface BoundGroup {
  readonly kind: 'city' | 'unit';
  readonly prefecture: string;
  readonly unitId: number | null;
}

/** The group a binding binds, as an audience member. */
export function bindingMember(binding: BoundGroup): AudienceMember {
  return binding.kind === 'unit'
    ? { kind: 'unit', unitId: binding.unitId, prefecture: binding.prefecture }
    : { kind: 'city', prefecture: binding.prefecture };
}

/** A roster read by the audience rules: its units and the names of its pilot cities. */
export function audienceRoster(
  roster: Pick<Roster, 'units' | 'prefectures'>,
): AudienceRoster<Roster['units'][number]> {
  return { units: roster.units, pilotCities: pilotCitiesOf(roster) };
}
