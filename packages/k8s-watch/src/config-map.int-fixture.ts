// A ConfigMap to create in the integration tests: the cheapest namespaced object there is.
import { V1ConfigMap, V1ObjectMeta } from '@kubernetes/client-node';

export function configMap(name: string, value: string): V1ConfigMap {
  const cm = new V1ConfigMap();
  cm.apiVersion = 'v1';
  cm.kind = 'ConfigMap';
  cm.metadata = new V1ObjectMeta();
  cm.metadata.name = name;
  cm.data = { value };
  return cm;
}
