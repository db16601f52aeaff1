import { button, keyboard } from '../callback-data.js';

/** The buttons of a pending confirmation: confirm (labelled) or 取消. */
export const confirmKeyboard = (token: string, label: string) =>
  keyboard([[button(label, { kind: 'confirm', token }), button('取消', { kind: 'cancel', token })]]);
