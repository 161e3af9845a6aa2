/**
 * What each kind of failure from the store means, in the person's language, for every face that
 * talks to the store (console, task pane, /inbox). The store's own message is English and
 * specific ("user li@x.com already exists"); the faces show this sentence first and that one
 * beside it, so a Chinese admin is never left with English alone. The kinds are the client's
 * (`refusalKind` in src/client/api-error.ts).
 */
export const REFUSALS_EN = {
  'refusal.unreachable': 'The store could not be reached. Check the connection and try again.',
  'refusal.signed-out': 'Your sign-in has ended. Sign in again.',
  'refusal.forbidden': 'Your account may not do this.',
  'refusal.not-found': 'It is not there any more (someone may have removed it). Refresh to see what is there now.',
  'refusal.conflict': 'This clashes with what is stored now.',
  'refusal.invalid': 'The store did not accept what was entered.',
  'refusal.too-large': 'This is too large for the store.',
  'refusal.too-many': 'Too many attempts. Wait a moment and try again.',
  'refusal.store-failed': 'The store failed while doing this. Try again; if it keeps failing, tell your administrator.',
  'refusal.other': 'Something went wrong.',
  /** The sentence above, then the store's own words. */
  'refusal.withDetail': '{what} The store says: {detail}',
} as const;

export const REFUSALS_ZH_CN: Record<keyof typeof REFUSALS_EN, string> = {
  'refusal.unreachable': '无法连接到模板服务器。请检查网络后重试。',
  'refusal.signed-out': '登录已失效，请重新登录。',
  'refusal.forbidden': '您的账号无权执行此操作。',
  'refusal.not-found': '该项已不存在（可能已被他人删除）。请刷新查看当前内容。',
  'refusal.conflict': '此操作与当前已保存的内容冲突。',
  'refusal.invalid': '服务器未接受所填写的内容。',
  'refusal.too-large': '内容过大，服务器无法接受。',
  'refusal.too-many': '尝试次数过多，请稍候再试。',
  'refusal.store-failed': '服务器处理时出错。请重试；如仍失败，请联系管理员。',
  'refusal.other': '出错了。',
  'refusal.withDetail': '{what}服务器返回：{detail}',
};
