import type { LogType } from '../../../shared/api';
import { column, constant, field, json, jsonText, type SentinelColumn } from './mapping';

// Microsoft Sentinel's tables for AWS logs, with the columns the Azure Monitor table reference
// documents (names, spelling and types as documented), each mapped onto the stored events in
// mapping.ts. Their columns are known without data, so a query over them compiles on an empty
// store and an unknown column is an error at once.

export interface SentinelTable {
  name: string;
  logType: LogType;
  columns: readonly SentinelColumn[];
}

/** What every Azure Monitor table has; AWS records hold no tenant. */
const common = (table: string): SentinelColumn[] => [constant('SourceSystem', ''), constant('TenantId', ''), constant('Type', table)];

const AWS_CLOUDTRAIL: SentinelTable = {
  name: 'AWSCloudTrail',
  logType: 'cloudtrail',
  columns: [
    column('TimeGenerated', 'datetime', 'time'),
    json('AdditionalEventData', 'string', 'additionalEventData'),
    field('APIVersion', 'string', 'apiVersion'),
    field('AwsEventId', 'string', 'eventID'),
    column('AWSRegion', 'string', 'region'),
    field('AwsRequestId', 'string', 'requestID'),
    field('AwsRequestId_', 'string', 'requestID'),
    field('Category', 'string', 'eventCategory'),
    jsonText('CidrIp', 'requestParameters', 'ipPermissions', 'items', 0, 'ipRanges', 'items', 0, 'cidrIp'),
    field('CipherSuite', 'string', 'tlsDetails.cipherSuite'),
    field('ClientProvidedHostHeader', 'string', 'tlsDetails.clientProvidedHostHeader'),
    jsonText('DestinationPort', 'requestParameters', 'ipPermissions', 'items', 0, 'toPort'),
    field('EC2RoleDelivery', 'string', 'userIdentity.sessionContext.ec2RoleDelivery'),
    field('ErrorCode', 'string', 'errorCode'),
    field('ErrorMessage', 'string', 'errorMessage'),
    column('EventName', 'string', 'event_name'),
    column('EventSource', 'string', 'service'),
    field('EventTypeName', 'string', 'eventType'),
    field('EventVersion', 'string', 'eventVersion'),
    field('ManagementEvent', 'bool', 'managementEvent'),
    // Sentinel's own label of the ingestion; CloudTrail records have no such field.
    constant('OperationName', ''),
    field('ReadOnly', 'bool', 'readOnly'),
    field('RecipientAccountId', 'string', 'recipientAccountId'),
    json('RequestParameters', 'string', 'requestParameters'),
    json('Resources', 'string', 'resources'),
    json('ResponseElements', 'string', 'responseElements'),
    json('ServiceEventDetails', 'string', 'serviceEventDetails'),
    field('SessionCreationDate', 'datetime', 'userIdentity.sessionContext.attributes.creationDate'),
    field('SessionIssuerAccountId', 'string', 'userIdentity.sessionContext.sessionIssuer.accountId'),
    field('SessionIssuerArn', 'string', 'userIdentity.sessionContext.sessionIssuer.arn'),
    field('SessionIssuerPrincipalId', 'string', 'userIdentity.sessionContext.sessionIssuer.principalId'),
    field('SessionIssuerType', 'string', 'userIdentity.sessionContext.sessionIssuer.type'),
    field('SessionIssuerUserName', 'string', 'userIdentity.sessionContext.sessionIssuer.userName'),
    field('SessionMfaAuthenticated', 'bool', 'userIdentity.sessionContext.attributes.mfaAuthenticated'),
    field('SharedEventId', 'string', 'sharedEventID'),
    field('SourceIpAddress', 'string', 'sourceIPAddress'),
    field('TlsVersion', 'string', 'tlsDetails.tlsVersion'),
    column('UserAgent', 'string', 'user_agent'),
    field('UserIdentityAccessKeyId', 'string', 'userIdentity.accessKeyId'),
    field('UserIdentityAccountId', 'string', 'userIdentity.accountId'),
    field('UserIdentityArn', 'string', 'userIdentity.arn'),
    field('UserIdentityInvokedBy', 'string', 'userIdentity.invokedBy'),
    field('UserIdentityPrincipalid', 'string', 'userIdentity.principalId'),
    field('UserIdentityStoreArn', 'string', 'userIdentity.onBehalfOf.identityStoreArn'),
    field('UserIdentityType', 'string', 'userIdentity.type'),
    field('UserIdentityUserId', 'string', 'userIdentity.onBehalfOf.userId'),
    field('UserIdentityUserName', 'string', 'userIdentity.userName'),
    field('VpcEndpointId', 'string', 'vpcEndpointId'),
    ...common('AWSCloudTrail'),
  ],
};

const AWS_VPC_FLOW: SentinelTable = {
  name: 'AWSVPCFlow',
  logType: 'vpcflow',
  columns: [
    column('TimeGenerated', 'datetime', 'time'),
    field('AccountId', 'string', 'account-id'),
    // Where the normalised columns hold a value (ingest reads the same field), they are read: faster than the map.
    column('Action', 'string', 'event_name'),
    field('AzId', 'string', 'az-id'),
    column('Bytes', 'long', 'bytes'),
    column('DstAddr', 'string', 'dst_ip'),
    column('DstPort', 'int', 'dst_port'),
    field('End', 'datetime', 'end'),
    field('FlowDirection', 'string', 'flow-direction'),
    field('InstanceId', 'string', 'instance-id'),
    field('InterfaceId', 'string', 'interface-id'),
    field('LogStatus', 'string', 'log-status'),
    field('Packets', 'int', 'packets'),
    field('PktDstAddr', 'string', 'pkt-dstaddr'),
    field('PktDstAwsService', 'string', 'pkt-dst-aws-service'),
    field('PktSrcAddr', 'string', 'pkt-srcaddr'),
    field('PktSrcAwsService', 'string', 'pkt-src-aws-service'),
    field('Protocol', 'int', 'protocol'),
    field('Region', 'string', 'region'),
    column('SrcAddr', 'string', 'src_ip'),
    column('SrcPort', 'int', 'src_port'),
    field('SublocationId', 'string', 'sublocation-id'),
    field('SublocationType', 'string', 'sublocation-type'),
    field('SubnetId', 'string', 'subnet-id'),
    field('TcpFlags', 'int', 'tcp-flags'),
    field('TrafficPath', 'string', 'traffic-path'),
    field('TrafficType', 'string', 'type'),
    field('Version', 'int', 'version'),
    field('VpcId', 'string', 'vpc-id'),
    ...common('AWSVPCFlow'),
  ],
};

const AWS_GUARD_DUTY: SentinelTable = {
  name: 'AWSGuardDuty',
  logType: 'guardduty',
  columns: [
    column('TimeGenerated', 'datetime', 'time'),
    field('AccountId', 'string', 'accountId'),
    field('ActivityType', 'string', 'type'),
    field('Arn', 'string', 'arn'),
    field('Description', 'string', 'description'),
    field('Id', 'string', 'id'),
    field('Partition', 'string', 'partition'),
    field('Region', 'string', 'region'),
    json('ResourceDetails', 'dynamic', 'resource'),
    field('SchemaVersion', 'string', 'schemaVersion'),
    json('ServiceDetails', 'dynamic', 'service'),
    field('Severity', 'int', 'severity'),
    field('TimeCreated', 'datetime', 'createdAt'),
    field('Title', 'string', 'title'),
    ...common('AWSGuardDuty'),
  ],
};

const AWS_WAF: SentinelTable = {
  name: 'AWSWAF',
  logType: 'waf',
  columns: [
    column('TimeGenerated', 'datetime', 'time'),
    field('Action', 'string', 'action'),
    field('Args', 'string', 'httpRequest.args'),
    json('CaptchaResponse', 'dynamic', 'captchaResponse'),
    json('ChallengeResponse', 'dynamic', 'challengeResponse'),
    field('ClientIp', 'string', 'httpRequest.clientIp'),
    field('Country', 'string', 'httpRequest.country'),
    json('ExcludedRules', 'dynamic', 'excludedRules'),
    field('FormatVersion', 'string', 'formatVersion'),
    json('Headers', 'dynamic', 'httpRequest', 'headers'),
    field('HttpMethod', 'string', 'httpRequest.httpMethod'),
    json('HttpRequest', 'dynamic', 'httpRequest'),
    field('HttpSourceId', 'string', 'httpSourceId'),
    field('HttpSourceName', 'string', 'httpSourceName'),
    field('HttpVersion', 'string', 'httpRequest.httpVersion'),
    field('Ja3Fingerprint', 'string', 'ja3Fingerprint'),
    json('Labels', 'dynamic', 'labels'),
    json('NonTerminatingMatchingRules', 'dynamic', 'nonTerminatingMatchingRules'),
    json('OversizeFields', 'dynamic', 'oversizeFields'),
    json('RateBasedRuleList', 'dynamic', 'rateBasedRuleList'),
    json('RequestHeadersInserted', 'dynamic', 'requestHeadersInserted'),
    field('RequestId', 'string', 'httpRequest.requestId'),
    field('ResponseCodeSent', 'int', 'responseCodeSent'),
    field('RuleGroupId', 'string', 'ruleGroupId'),
    json('RuleGroupList', 'dynamic', 'ruleGroupList'),
    json('TerminatingRule', 'dynamic', 'terminatingRule'),
    field('TerminatingRuleId', 'string', 'terminatingRuleId'),
    json('TerminatingRuleMatchDetails', 'dynamic', 'terminatingRuleMatchDetails'),
    field('TerminatingRuleType', 'string', 'terminatingRuleType'),
    field('Uri', 'string', 'httpRequest.uri'),
    field('WebAclId', 'string', 'webaclId'),
    ...common('AWSWAF'),
  ],
};

const AWS_ALB_ACCESS_LOGS: SentinelTable = {
  name: 'AWSALBAccessLogs',
  logType: 'alb',
  columns: [
    column('TimeGenerated', 'datetime', 'time'),
    field('ALBType', 'string', 'type'),
    field('Alb', 'string', 'elb'),
    field('ClientIp', 'string', 'client_ip'),
    field('ClientPort', 'int', 'client_port'),
    field('TargetIp', 'string', 'target_ip'),
    field('TargetPort', 'int', 'target_port'),
    field('RequestProcessingTime', 'string', 'request_processing_time'),
    field('TargetProcessingTime', 'string', 'target_processing_time'),
    field('ResponseProcessingTime', 'string', 'response_processing_time'),
    field('ElbStatusCode', 'int', 'elb_status_code'),
    field('TargetStatusCode', 'string', 'target_status_code'),
    field('ReceivedBytes', 'long', 'received_bytes'),
    field('SentBytes', 'long', 'sent_bytes'),
    field('RequestRaw', 'string', 'request'),
    column('UserAgent', 'string', 'user_agent'),
    field('SslCipher', 'string', 'ssl_cipher'),
    field('SslProtocol', 'string', 'ssl_protocol'),
    field('TargetGroupArn', 'string', 'target_group_arn'),
    field('TraceId', 'string', 'trace_id'),
    field('DomainName', 'string', 'domain_name'),
    field('ChosenCertArn', 'string', 'chosen_cert_arn'),
    field('MatchedRulePriority', 'string', 'matched_rule_priority'),
    field('RequestCreationTime', 'string', 'request_creation_time'),
    field('ActionsExecuted', 'string', 'actions_executed'),
    field('RedirectUrl', 'string', 'redirect_url'),
    field('LambdaErrorReason', 'string', 'error_reason'),
    field('TargetPortList', 'string', 'target:port_list'),
    field('TargetStatusCodeList', 'string', 'target_status_code_list'),
    field('Classification', 'string', 'classification'),
    field('ClassificationReason', 'string', 'classification_reason'),
    field('ConnTraceId', 'string', 'conn_trace_id'),
    ...common('AWSALBAccessLogs'),
  ],
};

export const SENTINEL_TABLES: readonly SentinelTable[] = [AWS_CLOUDTRAIL, AWS_VPC_FLOW, AWS_GUARD_DUTY, AWS_WAF, AWS_ALB_ACCESS_LOGS];

export const SENTINEL_TABLE_NAMES = SENTINEL_TABLES.map((t) => t.name);

export function sentinelTable(name: string): SentinelTable | undefined {
  return SENTINEL_TABLES.find((t) => t.name === name);
}
