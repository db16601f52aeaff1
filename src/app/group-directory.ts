import type { DeadlineScope } from './deadline-view.js';
import type { BindingRecord, BindingRequestRecord, BindingRequestsPort, BindingsPort } from './ports.js';

/**
 * What the bot reads about bound groups and binding requests. `prefecture` limits a list to one
 * prefecture (a city coordinator's view); null or omitted means all.
 */
export class GroupDirectory {
  constructor(
    private readonly deps: {
      readonly bindings: Pick<BindingsPort, 'all' | 'ofChat' | 'forChat'>;
      readonly requests: Pick<BindingRequestsPort, 'get' | 'pending'>;
    },
  ) {}

  all(prefecture: string | null = null): BindingRecord[] {
    return this.deps.bindings.all().filter((b) => inPrefecture(b, prefecture));
  }

  /** A chat's bindings (all topics). */
  ofChat(chatId: number, prefecture: string | null = null): BindingRecord[] {
    return this.deps.bindings.ofChat(chatId).filter((b) => inPrefecture(b, prefecture));
  }

  /** The binding of a chat's topic, falling back to the chat-wide binding. */
  forChat(chatId: number, threadId = 0): BindingRecord | null {
    return this.deps.bindings.forChat(chatId, threadId);
  }

  /** The deadline scope of a group topic: its active unit or prefecture binding, else all. */
  scopeOf(chatId: number, threadId = 0): DeadlineScope {
    const binding = this.forChat(chatId, threadId);
    if (!binding?.active) return { kind: 'all' };
    if (binding.kind === 'unit' && binding.unitId !== null) return { kind: 'unit', unitId: binding.unitId };
    return { kind: 'prefecture', prefecture: binding.prefecture };
  }

  request(id: number): BindingRequestRecord | null {
    return this.deps.requests.get(id);
  }

  /** Requests awaiting a coordinator, oldest first. */
  pendingRequests(prefecture: string | null = null): BindingRequestRecord[] {
    return this.deps.requests.pending().filter((r) => inPrefecture(r, prefecture));
  }
}

function inPrefecture(b: { readonly prefecture: string }, prefecture: string | null): boolean {
  return !prefecture || b.prefecture === prefecture;
}
