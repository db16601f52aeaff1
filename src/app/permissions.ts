/** Who may do what: provincial coordinators come from ADMIN_USER_IDS. */
export class Permissions {
  private readonly admins: ReadonlySet<number>;

  constructor(adminUserIds: readonly number[]) {
    this.admins = new Set(adminUserIds);
  }

  /** A provincial coordinator (may manage deadlines, bindings and broadcasts). */
  isCoordinator(userId: number | undefined): boolean {
    return userId !== undefined && this.admins.has(userId);
  }

  get coordinatorIds(): readonly number[] {
    return [...this.admins];
  }
}
