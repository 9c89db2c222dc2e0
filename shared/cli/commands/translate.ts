/** `etl translate <file>`: prints the ASL that Step Functions (or the local runtime) executes. */
import { localFunctionArn } from '../../../statemachines/function-names.ts';
import { translatePipeline } from '../../../statemachines/translate.ts';
import { loadValidPipeline } from './validate.ts';

export async function translateCommand(path: string): Promise<void> {
  const pipeline = await loadValidPipeline(path);
  console.log(JSON.stringify(translatePipeline(pipeline, { resolveFunctionArn: localFunctionArn }), null, 2));
}
