/** The CDK app `cdk.json` runs: `npm run synth` offline, `npm run deploy` against an account. */
import { createPlatformApp } from './platform-app.ts';

const { app } = await createPlatformApp();
app.synth();
