import type { BindingRecord, BindingRequestRecord } from '../../app/ports.js';
import { button, keyboard } from '../callback-data.js';

/** Describes a binding (or a binding request's target) in one line. */
export function bindingLabel(
  b: Pick<BindingRecord, 'kind' | 'prefecture' | 'unitId'>,
  unitName?: string,
): string {
  return b.kind === 'city'
    ? `${b.prefecture}（市州群）`
    : `${unitName ?? `单位 #${b.unitId}`}（${b.prefecture}，单位群）`;
}

/** The buttons a coordinator gets with a binding request. */
export function requestKeyboard(requestId: number) {
  return keyboard([
    [
      button('✅ 批准', { kind: 'request', requestId, approve: true }),
      button('❌ 拒绝', { kind: 'request', requestId, approve: false }),
    ],
  ]);
}

/** A request in a few lines, for the coordinators who decide it. */
export function requestText(r: BindingRequestRecord, unitName: string | undefined): string {
  return [
    `📝 绑定申请 #${r.id}`,
    `群：${r.chatTitle ?? r.chatId}（${r.chatId}${r.threadId ? `/话题${r.threadId}` : ''}）`,
    `申请绑定到：${bindingLabel(r, unitName)}`,
    `申请人：${r.requesterName ?? ''}（用户 ${r.requestedBy}）`,
    '批准后该群会收到截止提醒、可标记完成；拒绝则不会。',
  ].join('\n');
}
