import { useState } from 'react';
import { Button, Field, Input, MessageBar, MessageBarBody, makeStyles, tokens } from '@fluentui/react-components';
import type { Task } from '../../../contract/crm.js';
import { TASK_DUE_DAYS, TASK_DUE_DEFAULT, taskDueDays } from '../../../core/crm/task-due.js';
import { ActionStatus } from '../components.js';
import { formatInstant } from '../format.js';
import { usePane } from '../pane-context.js';
import { useStoreAction } from '../store-action.js';

const useStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
});

/**
 * A follow-up task due "in N of the client's business days at HH:MM their time": the store
 * works the date out with the client's calendar (weekends, holidays) and says which rule applied.
 */
export function TaskForm({ contact, messageId, defaultTitle, buttonLabel }: { contact: string | undefined; messageId?: string; defaultTitle: string; buttonLabel: string }) {
  const { t, language, client } = usePane();
  const styles = useStyles();
  const [title, setTitle] = useState(defaultTitle);
  const [days, setDays] = useState(String(TASK_DUE_DEFAULT.businessDays));
  const [at, setAt] = useState<string>(TASK_DUE_DEFAULT.at);
  const daysValid = taskDueDays(days) !== null;
  const atValid = /^([01]\d|2[0-3]):[0-5]\d$/.test(at);

  const create = useStoreAction(
    (): Promise<Task> =>
      client.createTask({
        title: title.trim() || defaultTitle,
        ...(contact ? { contact } : {}),
        ...(messageId ? { messageId } : {}),
        due: { rule: { businessDays: taskDueDays(days) ?? TASK_DUE_DEFAULT.businessDays, at } },
      }),
  );

  return (
    <form
      className={styles.form}
      onSubmit={(e) => {
        e.preventDefault();
        if (daysValid && atValid) void create.run();
      }}
    >
      <Field label={t('crm.taskTitle')}>
        <Input value={title} maxLength={300} onChange={(_, d) => setTitle(d.value)} />
      </Field>
      <div className={styles.row}>
        <Field label={t('crm.businessDays')} validationState={daysValid ? 'none' : 'error'} validationMessage={daysValid ? undefined : `${TASK_DUE_DAYS.min}–${TASK_DUE_DAYS.max}`}>
          <Input inputMode="numeric" value={days} onChange={(_, d) => setDays(d.value)} />
        </Field>
        <Field label={t('crm.dueAt')} validationState={atValid ? 'none' : 'error'} validationMessage={atValid ? undefined : 'HH:MM'}>
          <Input type="time" value={at} onChange={(_, d) => setAt(d.value)} />
        </Field>
      </div>
      <div>
        <Button type="submit" disabled={!daysValid || !atValid}>
          {buttonLabel}
        </Button>
      </div>
      <ActionStatus
        state={create.state}
        onRetry={create.retry}
        done={(task) => (
          <MessageBar intent={task.existing ? 'info' : 'success'} role="status">
            {/* A second click on the same mail shows the task the rep already has (the store made nothing new). */}
            <MessageBarBody>{t(task.existing ? 'crm.taskExisting' : 'crm.taskCreated', { title: task.title, due: task.dueAt ? `${formatInstant(task.dueAt, task.dueTimeZone ?? undefined, language)}${task.dueTimeZone ? ` (${task.dueTimeZone})` : ''}` : '—' })}</MessageBarBody>
          </MessageBar>
        )}
      />
    </form>
  );
}
