import type { AnnotationSupport } from '@grafana/data';
import { DETECTIONS_ANNOTATION_QUERY } from '../shared/detections';
import type { LookbackQuery } from './types';

/** Annotations come from a table query: the columns named time, timeEnd, title, text and tags, or the ones mapped to them. */
export const annotationSupport: AnnotationSupport<LookbackQuery> = {
  getDefaultQuery: () => ({ query: DETECTIONS_ANNOTATION_QUERY, format: 'table' }),
  prepareQuery: (annotation) => {
    const target = annotation.target;
    return target?.query?.trim() ? { ...target, refId: target.refId ?? 'Anno', format: 'table' } : undefined;
  },
};
