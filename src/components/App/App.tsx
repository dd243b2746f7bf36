import React from 'react';
import { Route, Routes } from 'react-router-dom';
import type { AppRootProps } from '@grafana/data';
import { StatusPage } from '../../pages/StatusPage';

function App(_props: AppRootProps) {
  return (
    <Routes>
      <Route path="*" element={<StatusPage />} />
    </Routes>
  );
}

export default App;
