/** Validate, save and run: the editor's calls to the API and how their answers land on the canvas. */
import { useCallback, useState } from 'react';
import { ApiError } from '../api/problem.ts';
import type { PipelineDoc } from '../api/types.ts';
import { useSession } from '../auth/session.tsx';
import { href } from '../router/routes.ts';
import { navigate } from '../router/useRoute.ts';
import { toError } from '../ui/useAsync.ts';
import { emptyErrors, type MappedErrors, mapValidationErrors } from './error-mapping.ts';

export type Notice =
  | { readonly kind: 'ok'; readonly text: string }
  | { readonly kind: 'error'; readonly error: Error };

export function useEditorActions(initialVersion: number | undefined, markSaved: () => void) {
  const { client } = useSession();
  const [version, setVersion] = useState(initialVersion);
  const [errors, setErrors] = useState<MappedErrors>(emptyErrors);
  // Config-dependent barriers as of the last validation (the API evaluates the module's rule).
  const [validatedBarriers, setValidatedBarriers] = useState<readonly string[]>([]);
  const [notice, setNotice] = useState<Notice | undefined>();
  const [busy, setBusy] = useState(false);

  const fail = useCallback((document: PipelineDoc, error: unknown) => {
    const problem = toError(error);
    if (problem instanceof ApiError && problem.issues.length > 0)
      setErrors(mapValidationErrors(document, problem.issues));
    if (problem instanceof ApiError && problem.status === 409) {
      setNotice({
        kind: 'error',
        error: new Error(
          `${problem.message}. Someone saved a newer version: reload the page to see it before saving.`,
        ),
      });
    } else setNotice({ kind: 'error', error: problem });
  }, []);

  const run = useCallback(
    async (document: PipelineDoc, action: () => Promise<void>) => {
      setBusy(true);
      try {
        await action();
      } catch (error) {
        fail(document, error);
      } finally {
        setBusy(false);
      }
    },
    [fail],
  );

  const validate = useCallback(
    (document: PipelineDoc) =>
      run(document, async () => {
        const result = await client.validate(document);
        setErrors(mapValidationErrors(document, result.errors));
        setValidatedBarriers(result.barriers);
        const count = result.errors.length;
        setNotice(
          result.valid
            ? { kind: 'ok', text: 'The pipeline is valid.' }
            : {
                kind: 'error',
                error: new Error(`Validation found ${count} ${count === 1 ? 'problem' : 'problems'}.`),
              },
        );
      }),
    [client, run],
  );

  const save = useCallback(
    (document: PipelineDoc) =>
      run(document, async () => {
        const id = document.id ?? '';
        const detail =
          version === undefined
            ? await client.createPipeline(document)
            : await client.updatePipeline(id, document, version);
        setVersion(detail.version);
        setErrors(emptyErrors());
        markSaved();
        setNotice({ kind: 'ok', text: `Saved version ${detail.version}.` });
        if (version === undefined) navigate(href({ page: 'editor', pipelineId: detail.id }));
      }),
    [client, run, version, markSaved],
  );

  const startRun = useCallback(
    (document: PipelineDoc, parameters: Record<string, unknown>) =>
      run(document, async () => {
        const { runId } = await client.startRun(document.id ?? '', parameters);
        navigate(href({ page: 'run', runId }));
      }),
    [client, run],
  );

  return {
    version,
    errors,
    validatedBarriers,
    notice,
    busy,
    validate,
    save,
    startRun,
    dismiss: () => setNotice(undefined),
  };
}
