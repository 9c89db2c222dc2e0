/**
 * A Lambda layer with DuckDB's native binding for one architecture, shared by
 * every function that runs DuckDB: the 70 MB library is uploaded once, not
 * once per function. Bundles leave the binding external and Node finds it
 * in /opt/nodejs/node_modules, which is on Lambda's NODE_PATH.
 */
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AssetHashType, DockerImage } from 'aws-cdk-lib';
import { Architecture, Code, LayerVersion } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import {
  bindingPackageName,
  elfCpu,
  type LambdaCpu,
  lockedBinding,
  resolveDuckDbBinding,
} from '../bundling/duckdb-binding.ts';
import { FUNCTION_RUNTIME, PROJECT_ROOT } from '../bundling/function-bundling.ts';

export interface DuckDbBindingLayerProps {
  /** The architecture of the functions that use the layer. */
  readonly architecture: Architecture;
  /**
   * Repository root holding package-lock.json and node_modules.
   * @default the root of this repository
   */
  readonly projectRoot?: string;
}

export class DuckDbBindingLayer extends Construct {
  readonly layer: LayerVersion;
  /** npm package and version inside the layer, e.g. `@duckdb/node-bindings-linux-x64@1.5.6-r.1`. */
  readonly binding: string;

  constructor(scope: Construct, id: string, props: DuckDbBindingLayerProps) {
    super(scope, id);
    const projectRoot = props.projectRoot ?? PROJECT_ROOT;
    const cpu: LambdaCpu = props.architecture === Architecture.ARM_64 ? 'arm64' : 'x64';
    const packageName = bindingPackageName(cpu);
    const { version } = lockedBinding(projectRoot, packageName);
    this.binding = `${packageName}@${version}`;

    const code = Code.fromAsset(join(projectRoot, 'node_modules', '@duckdb', 'node-bindings'), {
      // The binding is fully named by package and version: no need to hash 70 MB.
      assetHashType: AssetHashType.CUSTOM,
      assetHash: this.binding,
      bundling: {
        // Never used: local bundling below always succeeds or throws (as NodejsFunction does).
        image: DockerImage.fromRegistry('dummy'),
        local: {
          tryBundle(outputDir: string): boolean {
            const binding = resolveDuckDbBinding(projectRoot, cpu);
            const target = join(outputDir, 'nodejs', 'node_modules', packageName);
            mkdirSync(target, { recursive: true });
            cpSync(binding.dir, target, { recursive: true });
            const built = elfCpu(join(target, 'duckdb.node'));
            if (built !== cpu) {
              throw new Error(
                `${packageName}/duckdb.node is built for ${built ?? 'no known CPU'}, not ${cpu}`,
              );
            }
            return true;
          },
        },
      },
    });

    this.layer = new LayerVersion(this, 'Layer', {
      code,
      compatibleArchitectures: [props.architecture],
      compatibleRuntimes: [FUNCTION_RUNTIME],
      description: `DuckDB native binding ${this.binding}`,
      license: 'MIT',
    });
  }
}
