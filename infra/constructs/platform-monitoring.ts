/**
 * Alarms (into the notifications topic) and one dashboard: runs, rows and
 * durations from the handlers' EMF metrics (shared/lambda/powertools.ts),
 * executions from the notification rules, and the functions' health.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IRule } from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../../shared/lambda/powertools.ts';
import type { PlatformFunctions } from './platform-functions.ts';
import type { RunNotifications } from './run-notifications.ts';

export interface PlatformMonitoringProps {
  readonly functions: PlatformFunctions;
  readonly notifications: RunNotifications;
  /** Name prefix of the pipeline state machines, to chart their executions. */
  readonly stateMachineNamePrefix: string;
  /**
   * Period over which every alarm counts.
   * @default Duration.minutes(5)
   */
  readonly period?: Duration;
}

function matchedEvents(rule: IRule, period: Duration): Metric {
  return new Metric({
    namespace: 'AWS/Events',
    metricName: 'MatchedEvents',
    dimensionsMap: { RuleName: rule.ruleName },
    statistic: 'Sum',
    period,
  });
}

/** Sum of one EMF metric over every pipeline (and node): their dimensions are only known at run time. */
function emfTotal(metricName: string, dimensions: string, statistic: string, period: Duration): IMetric {
  return new MathExpression({
    expression: `SUM(SEARCH('{${METRICS_NAMESPACE},${dimensions}} MetricName="${metricName}"', '${statistic}', ${period.toSeconds()}))`,
    usingMetrics: {},
    label: metricName,
    period,
  });
}

export class PlatformMonitoring extends Construct {
  readonly alarms: readonly Alarm[];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: PlatformMonitoringProps) {
    super(scope, id);
    const period = props.period ?? Duration.minutes(5);
    const { notifications } = props;
    const alarms: Alarm[] = [];
    const alarmOn = (alarmId: string, metric: IMetric, description: string): void => {
      const alarm = new Alarm(this, alarmId, {
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      alarm.addAlarmAction(new SnsAction(notifications.topic));
      alarms.push(alarm);
    };

    const failed = matchedEvents(notifications.executionFailed, period);
    const timedOut = matchedEvents(notifications.executionTimedOut, period);
    alarmOn('ExecutionsFailed', failed, 'A pipeline execution failed');
    alarmOn('ExecutionsTimedOut', timedOut, 'A pipeline execution hit its timeout_seconds');
    alarmOn(
      'UndeliveredNotifications',
      notifications.deadLetters.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
      'Run notifications could not be delivered to the topic: read the dead-letter queue',
    );

    const functions = [...props.functions.functions];
    for (const [name, fn] of functions) {
      const lambda = fn.function;
      alarmOn(`${name}-Errors`, lambda.metricErrors({ period }), `Lambda ${name} returned errors`);
      alarmOn(`${name}-Throttles`, lambda.metricThrottles({ period }), `Lambda ${name} was throttled`);
    }
    this.alarms = alarms;

    const executionTime = new MathExpression({
      expression: `SEARCH('{AWS/States,StateMachineArn} MetricName="ExecutionTime" ${props.stateMachineNamePrefix}', 'Average', ${period.toSeconds()})`,
      usingMetrics: {},
      label: 'Execution time',
      period,
    });
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: Stack.of(this).stackName,
      widgets: [
        [
          new GraphWidget({
            title: 'Runs',
            left: [
              emfTotal('RunsStarted', 'pipeline,service', 'Sum', period),
              emfTotal('RunsSucceeded', 'pipeline,service', 'Sum', period),
              failed.with({ label: 'Executions failed' }),
              timedOut.with({ label: 'Executions timed out' }),
            ],
          }),
          new GraphWidget({
            title: 'Rows',
            left: ['RowsIn', 'RowsOut', 'RowsRejected', 'RowsFiltered'].map((metric) =>
              emfTotal(metric, 'node,pipeline,service', 'Sum', period),
            ),
          }),
        ],
        [
          new GraphWidget({
            title: 'Durations (ms)',
            left: [executionTime, emfTotal('ChunkDuration', 'node,pipeline,service', 'Average', period)],
          }),
          new GraphWidget({
            title: 'Function errors and throttles',
            left: functions.map(([name, fn]) =>
              fn.function.metricErrors({ period, label: `${name} errors` }),
            ),
            right: functions.map(([name, fn]) =>
              fn.function.metricThrottles({ period, label: `${name} throttles` }),
            ),
          }),
        ],
      ],
    });
  }
}
