import { useEffect, useState, type ReactNode } from 'react';
import { config, locationService } from '@grafana/runtime';
import { Alert, GlobalStyles, ThemeContext } from '@grafana/ui';
import { Route, Router, Routes, useLocation } from 'react-router-dom';
import { hostTestIds } from '../testIds';
import { HostChrome } from './chrome/HostChrome';
import { AppConfigPage } from './pages/AppConfigPage';
import { AppRootPage } from './pages/AppRootPage';
import { DataSourceEditPage } from './pages/DataSourceEditPage';
import { ExplorePage } from './pages/ExplorePage';

function NotFound() {
  const { pathname } = useLocation();
  return <Alert severity="error" title={`The test host has no page at ${pathname}`} />;
}

/** The router bound to Grafana's locationService, as Grafana's AppWrapper does. */
function HostRouter({ children }: { children: ReactNode }) {
  const history = locationService.getHistory();
  const [location, setLocation] = useState(history.location);
  useEffect(() => {
    const subscription = locationService.getLocationObservable().subscribe(setLocation);
    return () => subscription.unsubscribe();
  }, []);
  return (
    <Router navigator={history} location={location}>
      {children}
    </Router>
  );
}

export function HostApp() {
  return (
    <ThemeContext.Provider value={config.theme2}>
      <GlobalStyles />
      <HostRouter>
        <HostChrome>
          <span data-testid={hostTestIds.chrome.ready} hidden />
          <Routes>
            <Route path="/a/:pluginId/*" element={<AppRootPage />} />
            <Route path="/plugins/:pluginId" element={<AppConfigPage />} />
            <Route path="/connections/datasources/edit/:uid" element={<DataSourceEditPage />} />
            <Route path="/explore" element={<ExplorePage />} />
            <Route path="*" element={<NotFound />} />
          </Routes>
        </HostChrome>
      </HostRouter>
    </ThemeContext.Provider>
  );
}
