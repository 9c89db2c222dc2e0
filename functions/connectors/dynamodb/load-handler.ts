/** Lambda entry of the `dynamodb-load` loader. */
import { createLoaderHandler } from '../../../shared/lambda/loader-handler.ts';
import { commitDynamoDb, stageDynamoDb } from './load.ts';
import { dynamoDbLoadModule } from './module.ts';

export const handler = createLoaderHandler(dynamoDbLoadModule, {
  stage: stageDynamoDb,
  commit: commitDynamoDb,
});
