import { useState, type ReactNode } from 'react';
import { Button, Field, Input, Select, Subtitle1 } from '@fluentui/react-components';
import type { TeamFiguresView, TeamInboxView, TeamTemplateChoice, TeamTemplateChoices } from '../../contract/team-inbox.js';
import { localized } from '../../core/template/fields.js';
import type { GroupView, UserView } from '../../contract/people.js';
import type { MailboxView } from '../../contract/mailboxes.js';
import { useConsole, useLoad } from '../context.js';
import { query } from '../api.js';
import { ErrorBar, Notice, run, useStyles } from '../components.js';
import { REGION_NAMES } from '../../core/teaminbox/regions.js';

/**
 * Team inboxes (docs/team-inbox.md): run a connected mailbox (info@, sales@) as a team inbox —
 * which groups work it, who manages it, the first-response target in business hours, the
 * company calendar it counts in, and the templates of its team mail (the auto-acknowledgement, or
 * none; the hand-off). Reps then work it at /inbox, in Outlook and in Gmail with their own sign-in.
 */

/** A template reference as one select value ("pack/template"; slugs and ids have no slash). */
const refValue = (ref: { pack: string; template: string } | null) => (ref ? `${ref.pack}/${ref.template}` : '');
const refOf = (value: string) => {
  const [pack, template] = value.split('/');
  return pack && template ? { pack, template } : null;
};
export function TeamInboxes({ mailboxes }: { mailboxes: MailboxView[] }): ReactNode {
  const { api, t, language } = useConsole();
  const styles = useStyles();
  const inboxes = useLoad(() => api.get<{ inboxes: TeamInboxView[] }>('/team-inboxes'), []);
  const groups = useLoad(() => api.get<{ groups: GroupView[] }>('/groups'), []);
  const users = useLoad(() => api.get<{ users: UserView[] }>('/users'), []);
  const templates = useLoad(() => api.get<TeamTemplateChoices>('/team-inboxes/templates'), []);
  const [ack, setAck] = useState('');
  const [handOff, setHandOff] = useState('');
  const [mailboxId, setMailboxId] = useState('');
  const [group, setGroup] = useState('');
  const [manager, setManager] = useState('');
  const [target, setTarget] = useState('24');
  const [country, setCountry] = useState('');
  const [timeZone, setTimeZone] = useState('UTC');
  const [start, setStart] = useState('09:00');
  const [end, setEnd] = useState('18:00');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  /** The address last saved: the notice is worded when drawn, so it follows a change of language. */
  const [saved, setSaved] = useState<string>();
  const [figures, setFigures] = useState<{ address: string; view: TeamFiguresView }>();
  const showFigures = (inbox: TeamInboxView) =>
    void run(setBusy, setError, async () => {
      setFigures({ address: inbox.address, view: await api.get<TeamFiguresView>(`/team-inboxes/${encodeURIComponent(inbox.id)}/figures`) });
    });
  /** The same period as CSV (rows per rep, region and week), headings in the console's language. */
  const downloadCsv = (view: TeamFiguresView) =>
    void run(setBusy, setError, async () => {
      const csv = await api.get<string>(`/team-inboxes/${encodeURIComponent(view.inboxId)}/figures.csv${query({ since: view.since, until: view.until, lang: language })}`);
      // fetch's text() drops the byte-order mark; put it back so Excel reads the file as UTF-8.
      const url = URL.createObjectURL(new Blob([`\uFEFF${csv.replace(/^\uFEFF/, '')}`], { type: 'text/csv;charset=utf-8' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `team-inbox-${view.since.slice(0, 10)}-${view.until.slice(0, 10)}.csv`;
      link.click();
      URL.revokeObjectURL(url);
    });
  const hours = (minutes: number | null) => businessHours(t, minutes);

  const edit = (inbox: TeamInboxView) => {
    setMailboxId(inbox.mailboxId);
    setGroup(inbox.groups[0] ?? '');
    setManager(inbox.manager?.email ?? '');
    setTarget(String(inbox.targetBusinessHours));
    setCountry(inbox.calendar.country ?? '');
    setTimeZone(inbox.calendar.timeZone);
    setStart(inbox.calendar.start);
    setEnd(inbox.calendar.end);
    setAck(refValue(inbox.acknowledgement));
    setHandOff(refValue(inbox.handOff));
  };
  const languageNames = new Intl.DisplayNames([language], { type: 'language' });
  /** "Team inbox: hand-off to a rep (demo-export) · English, Arabic …" in the console's language. */
  const choiceText = (c: TeamTemplateChoice) => `${localized(c.title, language) ?? c.template} (${c.pack}) · ${c.languages.map((l) => languageNames.of(l) ?? l).join(t('teamInbox.listSeparator'))}`;
  const templateName = (ref: { pack: string; template: string } | null) => {
    if (!ref) return t('teamInbox.noTemplate');
    const c = templates.data?.templates.find((x) => x.pack === ref.pack && x.template === ref.template);
    return c ? `${localized(c.title, language) ?? c.template} (${c.pack})` : `${ref.template} (${ref.pack})`;
  };
  const templateOptions = (templates.data?.templates ?? []).map((c) => <option key={refValue(c)} value={refValue(c)}>{choiceText(c)}</option>);
  const save = () =>
    void run(setBusy, setError, async () => {
      setSaved(undefined);
      const body = { groups: [group], manager: manager || null, targetBusinessHours: Number(target), calendar: { country: country.trim() ? country.trim().toUpperCase() : null, timeZone: timeZone.trim(), start, end }, acknowledgement: refOf(ack), handOff: refOf(handOff) };
      const inbox = await api.request<TeamInboxView>('PUT', `/mailboxes/${encodeURIComponent(mailboxId)}/team-inbox`, body);
      await inboxes.reload();
      setSaved(inbox.address);
    });

  return (
    <section className={styles.section} aria-labelledby="team-inboxes-title" data-testid="team-inboxes">
      <Subtitle1 id="team-inboxes-title">{t('teamInbox.title')}</Subtitle1>
      <span>{t('teamInbox.intro')}</span>
      <ErrorBar error={inboxes.error} />
      {inboxes.data?.inboxes.length === 0 && <span>{t('common.none')}</span>}
      <table className={styles.table} data-testid="team-inbox-list">
        <thead>
          <tr>
            <th>{t('mailboxes.address')}</th>
            <th>{t('teamInbox.groups')}</th>
            <th>{t('teamInbox.manager')}</th>
            <th>{t('teamInbox.target')}</th>
            <th>{t('teamInbox.calendar')}</th>
            <th>{t('teamInbox.acknowledgement')}</th>
            <th>{t('teamInbox.handOff')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {inboxes.data?.inboxes.map((i) => (
            <tr key={i.id}>
              <td><strong>{i.address}</strong></td>
              <td>{i.groups.join(', ')}</td>
              <td>{i.manager ? `${i.manager.name} <${i.manager.email}>` : '—'}</td>
              <td>{t('teamInbox.hours', { n: i.targetBusinessHours })}</td>
              <td>{`${i.calendar.country ?? '—'} · ${i.calendar.timeZone} · ${i.calendar.start}–${i.calendar.end}`}</td>
              <td>{templateName(i.acknowledgement)}</td>
              <td>{templateName(i.handOff)}</td>
              <td>
                <div className={styles.row}>
                  <Button size="small" onClick={() => edit(i)} aria-label={t('teamInbox.editOf', { address: i.address })}>{t('teamInbox.edit')}</Button>
                  <Button size="small" disabled={busy} onClick={() => showFigures(i)} aria-label={t('teamInbox.figuresOf', { address: i.address })}>{t('teamInbox.figures')}</Button>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {figures && (
        <div data-testid="team-figures">
          <strong>{t('teamInbox.figuresTitle', { address: figures.address, since: figures.view.since.slice(0, 10), until: figures.view.until.slice(0, 10) })}</strong>
          <div>{t('teamInbox.queueNow', { unassigned: figures.view.unassignedNow, overdue: figures.view.overdueNow })}</div>
          <table className={styles.table}>
            <thead>
              <tr>
                <th>{t('teamInbox.rep')}</th>
                <th>{t('teamInbox.answered')}</th>
                <th>{t('teamInbox.p50')}</th>
                <th>{t('teamInbox.p90')}</th>
                <th>{t('teamInbox.breaches')}</th>
                <th>{t('teamInbox.openNow')}</th>
              </tr>
            </thead>
            <tbody>
              {figures.view.reps.map((r) => (
                <tr key={r.rep.id}>
                  <td>{r.rep.name}</td>
                  <td>{r.answered}</td>
                  <td>{hours(r.p50BusinessMinutes)}</td>
                  <td>{hours(r.p90BusinessMinutes)}</td>
                  <td>{r.breaches}</td>
                  <td>{r.openNow}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <FiguresTable testId="team-figures-regions" caption={t('teamInbox.byRegion')} first={t('teamInbox.region')} rows={figures.view.regions.map((r) => ({ key: r.region, name: REGION_NAMES[r.region][language], ...r }))} />
          <FiguresTable testId="team-figures-weeks" caption={t('teamInbox.byWeek')} first={t('teamInbox.week')} rows={figures.view.weeks.map((w) => ({ key: w.week, name: t('teamInbox.weekOf', { week: w.week, monday: w.monday }), ...w }))} />
          <Button size="small" disabled={busy} onClick={() => downloadCsv(figures.view)} data-testid="team-figures-csv">{t('teamInbox.downloadCsv')}</Button>
        </div>
      )}
      <div className={styles.row}>
        <Field label={t('teamInbox.mailbox')}>
          <Select value={mailboxId} onChange={(_e, d) => setMailboxId(d.value)} data-testid="team-inbox-mailbox">
            <option value="">—</option>
            {mailboxes.map((m) => <option key={m.id} value={m.id}>{m.address}</option>)}
          </Select>
        </Field>
        <Field label={t('teamInbox.groups')}>
          <Select value={group} onChange={(_e, d) => setGroup(d.value)} data-testid="team-inbox-group">
            <option value="">—</option>
            {groups.data?.groups.map((g) => <option key={g.id} value={g.slug}>{g.name || g.slug}</option>)}
          </Select>
        </Field>
        <Field label={t('teamInbox.manager')}>
          <Select value={manager} onChange={(_e, d) => setManager(d.value)}>
            <option value="">—</option>
            {users.data?.users.filter((u) => !u.disabled).map((u) => <option key={u.id} value={u.email}>{u.name} &lt;{u.email}&gt;</option>)}
          </Select>
        </Field>
        <Field label={t('teamInbox.target')} hint={t('teamInbox.targetHint')}>
          <Input type="number" min={1} max={720} value={target} onChange={(_e, d) => setTarget(d.value)} />
        </Field>
      </div>
      <div className={styles.row}>
        <Field label={t('teamInbox.country')} hint={t('teamInbox.countryHint')}>
          <Input value={country} maxLength={2} onChange={(_e, d) => setCountry(d.value)} />
        </Field>
        <Field label={t('teamInbox.timeZone')}>
          <Input value={timeZone} onChange={(_e, d) => setTimeZone(d.value)} />
        </Field>
        <Field label={t('teamInbox.opens')}>
          <Input value={start} onChange={(_e, d) => setStart(d.value)} />
        </Field>
        <Field label={t('teamInbox.closes')}>
          <Input value={end} onChange={(_e, d) => setEnd(d.value)} />
        </Field>
      </div>
      <div className={styles.row}>
        <Field label={t('teamInbox.acknowledgement')} hint={t('teamInbox.acknowledgementHint')}>
          <Select value={ack} onChange={(_e, d) => setAck(d.value)} data-testid="team-inbox-ack">
            <option value="">{t('teamInbox.noAcknowledgement')}</option>
            {templateOptions}
          </Select>
        </Field>
        <Field label={t('teamInbox.handOff')} hint={t('teamInbox.handOffHint')}>
          <Select value={handOff} onChange={(_e, d) => setHandOff(d.value)} data-testid="team-inbox-hand-off">
            <option value="">{t('teamInbox.noTemplate')}</option>
            {templateOptions}
          </Select>
        </Field>
      </div>
      <ErrorBar error={templates.error} />
      <div className={styles.row}>
        <Button appearance="primary" disabled={busy || !mailboxId || !group} onClick={save}>{t('teamInbox.save')}</Button>
      </div>
      <ErrorBar error={error} />
      {saved && <Notice intent="success">{t('teamInbox.saved', { address: saved })}</Notice>}
    </section>
  );
}

interface FiguresRow {
  key: string;
  name: string;
  answered: number;
  p50BusinessMinutes: number | null;
  p90BusinessMinutes: number | null;
  breaches: number;
}

/** One breakdown of the figures (by region, by week): answered, p50/p90 in business hours, breaches. */
/** Business minutes as the console shows them ("3 h 20 min"). */
function businessHours(t: ReturnType<typeof useConsole>['t'], minutes: number | null): string {
  return minutes === null ? '—' : t('teamInbox.hm', { h: Math.floor(minutes / 60), m: minutes % 60 });
}

function FiguresTable({ testId, caption, first, rows }: { testId: string; caption: string; first: string; rows: FiguresRow[] }): ReactNode {
  const { t } = useConsole();
  const styles = useStyles();
  return (
    <table className={styles.table} data-testid={testId}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th>{first}</th>
          <th>{t('teamInbox.answered')}</th>
          <th>{t('teamInbox.p50')}</th>
          <th>{t('teamInbox.p90')}</th>
          <th>{t('teamInbox.breaches')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <td>{r.name}</td>
            <td>{r.answered}</td>
            <td>{businessHours(t, r.p50BusinessMinutes)}</td>
            <td>{businessHours(t, r.p90BusinessMinutes)}</td>
            <td>{r.breaches}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
