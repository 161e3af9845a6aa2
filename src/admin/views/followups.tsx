import type { ReactNode } from 'react';
import { Subtitle1 } from '@fluentui/react-components';
import type { TeamFollowUps, UnansweredInquiries } from '../../contract/followups.js';
import { useConsole, useLoad } from '../context.js';
import { ErrorBar, Loading, RefreshButton, useStyles } from '../components.js';

const DAYS = 30;

/** The manager's view (docs/followups.md): per rep, open and overdue follow-ups, median reply time to buyers; inquiries past the second threshold. */
export default function FollowUpsView(): ReactNode {
  const { api, t } = useConsole();
  const styles = useStyles();
  const team = useLoad(() => api.get<TeamFollowUps>(`/followups/team?days=${DAYS}`), []);
  const inquiries = useLoad(() => api.get<UnansweredInquiries>('/inquiries/unanswered'), []);
  return (
    <div>
      <section className={styles.section} aria-labelledby="followups-title">
        <div className={styles.row}>
          <Subtitle1 id="followups-title">{t('followups.title', { days: DAYS })}</Subtitle1>
          <RefreshButton onClick={team.reload} />
          <Loading loading={team.loading} />
        </div>
        <ErrorBar error={team.error} />
        {team.data && (
          <table className={styles.table}>
            <thead>
              <tr>
                <th>{t('followups.rep')}</th>
                <th>{t('followups.open')}</th>
                <th>{t('followups.overdue')}</th>
                <th>{t('followups.median')}</th>
                <th>{t('followups.replies')}</th>
              </tr>
            </thead>
            <tbody>
              {team.data.reps.map((r) => (
                <tr key={r.userId}>
                  <td>
                    {r.name} <span className={styles.mono}>{r.email}</span>
                  </td>
                  <td>{r.open}</td>
                  <td>{r.overdue ? <strong>{r.overdue}</strong> : 0}</td>
                  <td>{r.medianReplyMinutes === null ? '—' : t('followups.minutes', { minutes: r.medianReplyMinutes })}</td>
                  <td>{r.replies}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className={styles.section} aria-labelledby="inquiries-title">
        <Subtitle1 id="inquiries-title">{t('followups.inquiries')}</Subtitle1>
        <ErrorBar error={inquiries.error} />
        {inquiries.data && inquiries.data.inquiries.length === 0 && <span>{t('common.none')}</span>}
        {inquiries.data && inquiries.data.inquiries.length > 0 && (
          <table className={styles.table}>
            <thead>
              <tr>
                <th>{t('followups.rep')}</th>
                <th>{t('followups.from')}</th>
                <th>{t('followups.subject')}</th>
                <th>{t('followups.waiting')}</th>
              </tr>
            </thead>
            <tbody>
              {inquiries.data.inquiries.map((i) => (
                <tr key={`${i.rep}/${i.conversationId}`}>
                  <td className={styles.mono}>{i.rep}</td>
                  <td className={styles.mono}>{i.from ?? '—'}</td>
                  <td>{i.subject}</td>
                  <td>{i.businessHoursWaiting}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
