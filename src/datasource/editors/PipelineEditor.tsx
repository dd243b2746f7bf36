import React, { useEffect, useRef } from 'react';
import type { TimeRange } from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';
import { CodeEditor, type Monaco, type monacoTypes } from '@grafana/ui';
import type { SidecarClient } from '../../api/client';
import { LANGUAGE_ID } from './language/monarch';
import { markError, registerCompletion, registerLanguage } from './language/register';
import { sidecarCompletionSource } from './language/source';

export interface PipelineEditorProps {
  value: string;
  client: SidecarClient;
  range?: TimeRange;
  /** The compiler's error for this query, to mark in the text. */
  error?: { line: number; column: number; message: string };
  onChange(value: string): void;
  onRunQuery(): void;
}

/** The search language in Monaco: highlighting, completion from the sidecar, the error marked. */
export function PipelineEditor({ value, client, range, error, onChange, onRunQuery }: PipelineEditorProps) {
  // Monaco keeps the callbacks it was given at mount: they read the latest props from here.
  const rangeRef = useRef(range);
  const runRef = useRef(onRunQuery);
  const changeRef = useRef(onChange);
  useEffect(() => {
    rangeRef.current = range;
    runRef.current = onRunQuery;
    changeRef.current = onChange;
  }, [range, onRunQuery, onChange]);
  const monacoRef = useRef<{ monaco: Monaco; editor: monacoTypes.editor.IStandaloneCodeEditor } | undefined>(undefined);
  const disposables = useRef<monacoTypes.IDisposable[]>([]);

  useEffect(() => {
    const mounted = monacoRef.current;
    const model = mounted?.editor.getModel();
    if (mounted && model) {
      markError(mounted.monaco, model, error);
    }
  }, [error]);

  useEffect(() => () => disposables.current.forEach((d) => d.dispose()), []);

  const lines = Math.min(Math.max(value.split('\n').length, 3), 20);
  return (
    <CodeEditor
      value={value}
      language={LANGUAGE_ID}
      height={lines * 19 + 12}
      showLineNumbers
      showMiniMap={false}
      monacoOptions={{ scrollBeyondLastLine: false, wordWrap: 'on', fixedOverflowWidgets: true, suggest: { showWords: false } }}
      onBeforeEditorMount={registerLanguage}
      onEditorDidMount={(editor, monaco) => {
        monacoRef.current = { monaco, editor };
        const source = sidecarCompletionSource(
          client,
          () => rangeRef.current,
          () =>
            getTemplateSrv()
              .getVariables()
              .map((v) => v.name)
        );
        disposables.current.push(registerCompletion(monaco, editor, source));
        editor.addCommand(monaco.KeyMod.Shift | monaco.KeyCode.Enter, () => {
          changeRef.current(editor.getValue());
          runRef.current();
        });
        const model = editor.getModel();
        if (model) {
          markError(monaco, model, error);
        }
      }}
      onBlur={(text) => {
        if (text !== value) {
          onChange(text);
          runRef.current();
        }
      }}
      onSave={(text) => {
        onChange(text);
        runRef.current();
      }}
    />
  );
}
