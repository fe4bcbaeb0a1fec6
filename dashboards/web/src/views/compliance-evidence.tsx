/** Manual evidence of a system: the documents with their approval and expiry, upload (compliance:manage), approval, download. */
import { useState, type FormEvent, type ReactNode } from 'react';
import { complianceApi, evidenceFileUrl, type ComplianceSystem, type EvidenceDocument, type Regime } from '../api/compliance';
import { Notice, useActionNotice } from '../components/action-notice';
import { DataTable } from '../components/data-table';
import { LoadState } from '../components/load-state';
import { useI18n, type MessageKey } from '../i18n';
import { evidenceKinds } from '../lib/compliance-view';
import { useLoad } from '../lib/use-load';
import { useSession } from '../session';
import { ComplianceStatus } from './compliance-system';

/** An evidence kind's name in the reader's language; its id for a kind the catalogue names but this console does not. */
function kindLabel(t: (key: MessageKey) => string, kind: string): string {
  const key = `evidenceKind.${kind}` as MessageKey;
  const text = t(key);
  return text === key ? kind : text;
}

/** met once approved and unexpired, partly_met while waiting, not_met once expired (as the assessment counts it). */
function standing(d: EvidenceDocument, now: number): 'met' | 'partly_met' | 'not_met' {
  if (d.expires_at !== null && Date.parse(d.expires_at) < now) return 'not_met';
  return d.approved_at !== null ? 'met' : 'partly_met';
}

export function EvidencePanel(props: { system: ComplianceSystem; regime: Regime; onChanged(): void }): ReactNode {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const canManage = session.can('compliance:manage');
  const docs = useLoad(() => complianceApi.evidence(props.system.id), [props.system.id]);
  const notice = useActionNotice();
  const changed = (): void => {
    docs.reload();
    props.onChanged();
  };
  const now = Date.now();
  return (
    <section className="panel" data-testid="compliance-evidence">
      <h2>{t('compliance.manualEvidence')}</h2>
      <Notice message={notice.message} />
      <LoadState loaded={docs} isEmpty={(d) => d.documents.length === 0} empty={t('compliance.noDocuments')}>
        {(d) => (
          <DataTable columns={[t('compliance.document'), t('compliance.kind'), t('compliance.uploaded'), t('compliance.approvedBy'), t('compliance.expires'), t('alerts.status'), '']} testId="evidence-table">
            {d.documents.map((doc) => (
              <tr key={doc.id} data-document={doc.id}>
                <td>
                  <a href={evidenceFileUrl(doc.id)} target="_blank" rel="noreferrer">
                    {doc.title}
                  </a>
                  <div className="muted small mono" title={doc.sha256}>
                    {doc.file_name} · {i18n.bytes(doc.size)} · SHA-256 {doc.sha256.slice(0, 12)}…
                  </div>
                </td>
                <td className="small">
                  <span title={doc.kind}>{kindLabel(t, doc.kind)}</span>
                  {doc.requirement_id && <div className="mono">{doc.requirement_id}</div>}
                </td>
                <td className="small">
                  {doc.uploaded_by}
                  <div className="muted">{i18n.date(doc.uploaded_at)}</div>
                </td>
                <td className="small">
                  {doc.approved_by ?? '–'}
                  {doc.approved_at && <div className="muted">{i18n.date(doc.approved_at)}</div>}
                </td>
                <td className="small">{doc.expires_at ? i18n.date(doc.expires_at) : '–'}</td>
                <td>
                  <ComplianceStatus status={standing(doc, now)} />
                </td>
                <td>
                  {canManage && doc.approved_at === null && (
                    <button className="btn small primary" type="button" data-action="approve-evidence" onClick={() => void notice.run(() => complianceApi.approve(doc.id, {}), t('compliance.approved')).then((ok) => ok && changed())}>
                      {t('compliance.approve')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </LoadState>
      {canManage && <UploadForm system={props.system} regime={props.regime} onUploaded={changed} />}
    </section>
  );
}

function UploadForm(props: { system: ComplianceSystem; regime: Regime; onUploaded(): void }): ReactNode {
  const { t } = useI18n();
  const catalog = useLoad(() => complianceApi.catalog(props.regime), [props.regime]);
  const kinds = catalog.data ? evidenceKinds(catalog.data.requirements) : [];
  const [kind, setKind] = useState('');
  const [title, setTitle] = useState('');
  const [requirement, setRequirement] = useState('');
  const [expires, setExpires] = useState('');
  const [file, setFile] = useState<File | undefined>(undefined);
  const [formKey, setFormKey] = useState(0);
  const notice = useActionNotice();
  const chosenKind = kind !== '' ? kind : (kinds[0] ?? '');
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (!file || title.trim() === '' || chosenKind === '') return;
    const ok = await notice.run(
      () => complianceApi.upload(props.system.id, { kind: chosenKind, title: title.trim(), requirement: requirement.trim() || undefined, expires: expires || undefined }, file),
      t('compliance.uploaded.done', { name: file.name }),
    );
    if (ok) {
      setTitle('');
      setRequirement('');
      setExpires('');
      setFile(undefined);
      setFormKey((n) => n + 1);
      props.onUploaded();
    }
  };
  return (
    <form className="upload-form" key={formKey} onSubmit={(e) => void submit(e)} data-testid="evidence-upload">
      <h3>{t('compliance.upload')}</h3>
      <label>
        {t('compliance.kind')}
        <select value={chosenKind} onChange={(e) => setKind(e.target.value)} data-field="evidence-kind">
          {kinds.map((k) => (
            <option key={k} value={k}>
              {kindLabel(t, k)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('compliance.documentTitle')}
        <input value={title} onChange={(e) => setTitle(e.target.value)} required data-field="evidence-title" />
      </label>
      <label>
        {t('compliance.requirementOptional')}
        <input value={requirement} onChange={(e) => setRequirement(e.target.value)} className="mono" placeholder="VN.MON.CENTRAL" />
      </label>
      <label>
        {t('compliance.expires')}
        <input type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />
      </label>
      {/* The browser's own file button speaks the browser's language, not the console's: a labelled button of ours opens it. */}
      <label>
        {t('compliance.file')}
        <span className="file-pick">
          <input type="file" className="visually-hidden" onChange={(e) => setFile(e.target.files?.[0])} required data-field="evidence-file" />
          <span className="btn small" aria-hidden="true">
            {t('compliance.chooseFile')}
          </span>
          <span className="muted small ellipsis">{file ? file.name : t('compliance.noFile')}</span>
        </span>
      </label>
      <button className="btn primary" type="submit" disabled={!file || title.trim() === ''}>
        {t('compliance.uploadButton')}
      </button>
      <Notice message={notice.message} />
    </form>
  );
}
