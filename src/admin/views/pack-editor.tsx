import { useEffect, useRef, type ReactNode } from 'react';
import { basicSetup } from 'codemirror';
import { EditorView } from '@codemirror/view';
import { EditorState } from '@codemirror/state';
import { yaml } from '@codemirror/lang-yaml';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { autocompletion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import type { LocatedIssue } from '../../contract/common.js';
import { completePack } from '../../core/pack/completion.js';

/**
 * The pack source editor: CodeMirror 6 with YAML (JSON reads as YAML too), the store's check
 * results as markers at their line and column, and completion of variable names, field types and
 * template kinds (core/pack/completion). Its own chunk: the console's first load stays small.
 */

export interface PackEditorProps {
  value: string;
  onChange: (value: string) => void;
  issues: readonly LocatedIssue[];
  label: string;
  /** Where to put the cursor (a new object each time the admin clicks an issue). */
  target?: { line: number; column: number } | undefined;
  /** Labels of completion kinds, in the UI language. */
  kinds: Record<'field' | 'builtin' | 'type' | 'kind' | 'value', string>;
}

/** An issue's line:column as a range in the document: the word there, else the rest of the line. */
function rangeOf(state: EditorState, line: number, column: number): { from: number; to: number } {
  const l = state.doc.line(Math.min(Math.max(1, line), state.doc.lines));
  const from = l.from + Math.min(Math.max(0, column - 1), l.length);
  const word = /^[A-Za-z0-9_.$-]+/.exec(state.doc.sliceString(from, l.to))?.[0];
  return { from, to: word ? from + word.length : l.to };
}

export function diagnosticsOf(state: EditorState, issues: readonly LocatedIssue[]): Diagnostic[] {
  return issues.map((issue) => {
    const { from, to } = issue.line ? rangeOf(state, issue.line, issue.column ?? 1) : { from: 0, to: 0 };
    return { from, to, severity: issue.severity, message: `${issue.path}: ${issue.message}`, source: issue.path };
  });
}

export default function PackEditor({ value, onChange, issues, label, target, kinds }: PackEditorProps): ReactNode {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView>();
  const latest = useRef({ onChange, kinds });
  latest.current = { onChange, kinds };

  useEffect(() => {
    const complete = (context: CompletionContext): CompletionResult | null => {
      const found = completePack(context.state.doc.toString(), context.pos);
      if (!found) return null;
      return { from: found.from, options: found.options.map((o) => ({ label: o.label, detail: latest.current.kinds[o.kind], type: o.kind === 'field' || o.kind === 'builtin' ? 'variable' : 'enum' })), validFor: /^[A-Za-z0-9_.-]*$/ };
    };
    const created = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          basicSetup,
          yaml(),
          lintGutter(),
          autocompletion({ override: [complete], activateOnTyping: true }),
          EditorView.contentAttributes.of({ 'aria-label': label, 'data-testid': 'pack-source' }),
          EditorView.theme({ '&': { minHeight: '22rem', maxHeight: '40rem', width: '100%', border: '1px solid #d1d1d1' }, '.cm-scroller': { overflow: 'auto', fontFamily: 'Consolas, "Courier New", monospace' } }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) latest.current.onChange(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = created;
    return () => created.destroy();
    // Created once; value changes from outside are applied below.
  }, []);

  // A pack opened or uploaded replaces the text; typing does not come back through here.
  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value) v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
  }, [value]);

  // Markers move with the text as the admin types, until the next check replaces them.
  useEffect(() => {
    const v = view.current;
    if (v) v.dispatch(setDiagnostics(v.state, diagnosticsOf(v.state, issues)));
  }, [issues]);

  useEffect(() => {
    const v = view.current;
    if (!v || !target) return;
    const { from, to } = rangeOf(v.state, target.line, target.column);
    v.dispatch({ selection: { anchor: from, head: to }, scrollIntoView: true });
    v.focus();
  }, [target]);

  // minWidth 0: long lines scroll inside the editor instead of widening the page.
  return <div ref={host} data-testid="pack-editor" style={{ minWidth: 0, width: '100%', overflow: 'hidden' }} />;
}
