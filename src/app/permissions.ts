import type { CityCoordinator, CoordinatorsPort } from './ports.js';

/**
 * Who may do what. Provincial admins (ADMIN_USER_IDS) may do everything; city coordinators
 * (granted in the bot, stored in the database) may bind groups and see status in their own
 * prefecture only; everyone else may ask questions.
 */
export class Permissions {
  private readonly admins: ReadonlySet<number>;

  constructor(
    adminUserIds: readonly number[],
    private readonly coordinators?: Pick<CoordinatorsPort, 'all' | 'get'>,
  ) {
    this.admins = new Set(adminUserIds);
  }

  /** A provincial admin. */
  isAdmin(userId: number | undefined): boolean {
    return userId !== undefined && this.admins.has(userId);
  }

  /** The prefecture a city coordinator serves, or null. */
  cityOf(userId: number | undefined): string | null {
    if (userId === undefined || !this.coordinators) return null;
    return this.coordinators.get(userId)?.prefecture ?? null;
  }

  /** A provincial admin or a city coordinator: may see unit contacts. */
  isCoordinator(userId: number | undefined): boolean {
    return this.isAdmin(userId) || this.cityOf(userId) !== null;
  }

  /** May manage (bind, unbind, see status in) a prefecture. */
  mayManage(userId: number | undefined, prefecture: string): boolean {
    return this.isAdmin(userId) || (prefecture !== '' && this.cityOf(userId) === prefecture);
  }

  /** Who may grant a binding in a prefecture: the provincial admins and its city coordinators. */
  responsibleFor(prefecture: string): number[] {
    return [...new Set([...this.admins, ...this.cityCoordinatorsOf(prefecture)])];
  }

  /** The city coordinators of a prefecture (not the provincial admins). */
  cityCoordinatorsOf(prefecture: string): number[] {
    return this.cityCoordinators()
      .filter((c) => c.prefecture === prefecture)
      .map((c) => c.userId);
  }

  /** Every city coordinator, by prefecture. */
  cityCoordinators(): CityCoordinator[] {
    return this.coordinators?.all() ?? [];
  }

  get adminIds(): readonly number[] {
    return [...this.admins];
  }
}
