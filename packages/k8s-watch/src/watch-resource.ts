// List + watch loop that turns a Kubernetes collection into immutable snapshots.
import type { KubeObject, ResourceWatch, WatchResourceOptions } from './watch-types.ts';

export function watchResource<T extends KubeObject>(_options: WatchResourceOptions<T>): ResourceWatch<T> {
  throw new Error('watchResource: not implemented yet');
}
