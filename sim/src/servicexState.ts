import type { FaultStore } from './faults';
import { ObjectContents, ObjectStore } from './servicexObjects';
import { SimClock, TransformStore } from './servicexTransforms';

/** Everything the simulated ServiceX remembers: its clock, transforms, datasets and object store. */
export class ServicexState {
  readonly clock = new SimClock();
  readonly transforms = new TransformStore(this.clock);
  readonly contents = new ObjectContents();
  private store?: ObjectStore;

  /** The object store, created on first use with the simulator's fault store. */
  objectStore(faults: FaultStore): ObjectStore {
    this.store ??= new ObjectStore(this.transforms, this.contents, faults);
    return this.store;
  }

  /** The object store if it was created; the transform routes need it to mint URLs. */
  get existingStore(): ObjectStore | undefined {
    return this.store;
  }
}
