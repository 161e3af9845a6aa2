import { Button, MessageBar, MessageBarActions, MessageBarBody, Spinner } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { usePane } from './pane-context.js';
import { refusalIn, type ActionState } from './store-action.js';

/** The one way a panel shows an action's progress, an unreachable store (with retry) or a failure. */
export function ActionStatus<T>({ state, onRetry, done }: { state: ActionState<T>; onRetry: () => void; done?: (value: T) => ReactNode }) {
  const { t } = usePane();
  switch (state.status) {
    case 'running':
      return <Spinner size="tiny" label={t('app.loading')} />;
    case 'offline':
      return (
        <MessageBar intent="warning" role="status">
          <MessageBarBody>{t('action.needsStore', { seconds: state.retryIn })}</MessageBarBody>
          <MessageBarActions>
            <Button size="small" onClick={onRetry}>
              {t('action.retry')}
            </Button>
          </MessageBarActions>
        </MessageBar>
      );
    case 'failed':
      return (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>{refusalIn(t, state.error)}</MessageBarBody>
        </MessageBar>
      );
    case 'done':
      return done ? <>{done(state.value)}</> : null;
    default:
      return null;
  }
}
