import type { Source } from '../../shared/api';
import type { FieldError } from '../config/validate';
import { parseFlowFormat } from '../formats/vpcflowFields';

/** A declared VPC flow format must name known fields, each once, on a source that reads flow logs. */
export function vpcFlowFormatErrors(source: Pick<Source, 'logType' | 'vpcFlowFormat'>, prefix = ''): FieldError[] {
  if (source.vpcFlowFormat === undefined) {
    return [];
  }
  const field = `${prefix}vpcFlowFormat`;
  if (source.logType !== undefined && source.logType !== 'auto' && source.logType !== 'vpcflow') {
    return [{ field, message: `is for VPC flow logs; this source's logType is ${source.logType}` }];
  }
  const format = parseFlowFormat(source.vpcFlowFormat);
  return 'error' in format ? [{ field, message: format.error }] : [];
}
