/** What an op's float64 forward pass may ask of the engine. */
export interface ReferenceContext {
  /** Training mode: dropout drops, batch_norm uses batch statistics. Gradient checks disable dropout. */
  readonly training: boolean;
  /** Dropout is active (false in gradient checks, which need a deterministic function). */
  readonly dropout: boolean;
  /** A seeded uniform draw in [0, 1), for dropout masks. */
  random(): number;
  /**
   * Records the side of every kink an op evaluated (relu's x > 0, the argmax of a max pool,
   * the sign inside |x|). A gradient check compares these records at θ−ε, θ and θ+ε: when
   * they differ, the finite difference straddled a kink and says nothing about backprop.
   */
  branches(decisions: ArrayLike<number>): void;
}
