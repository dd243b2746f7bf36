import React from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import type { AppRootProps } from '@grafana/data';
import { ROUTES } from '../../constants';
import { BackfillsPage } from '../../pages/BackfillsPage';
import { DetectionsPage } from '../../pages/DetectionsPage';
import { SourcesPage } from '../../pages/SourcesPage';

function App(_props: AppRootProps) {
  return (
    <Routes>
      <Route path={ROUTES.sources} element={<SourcesPage />} />
      <Route path={ROUTES.backfills} element={<BackfillsPage />} />
      <Route path={ROUTES.detections} element={<DetectionsPage />} />
      <Route path="*" element={<Navigate to={ROUTES.sources} replace />} />
    </Routes>
  );
}

export default App;
