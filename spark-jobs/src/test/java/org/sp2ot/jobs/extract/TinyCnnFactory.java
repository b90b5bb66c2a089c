package org.sp2ot.jobs.extract;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;

/** A tiny pooled CNN (3 -> 4 channels, stride 2, global average pool, linear to 6): a backbone stand-in for tests. */
public class TinyCnnFactory implements BlockFactory {
    static final int DIM = 6;

    @Override
    public Block newBlock() {
        return new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optStride(new Shape(2, 2)).setFilters(4).build())
                .add(Activation.reluBlock())
                .add(Pool.globalAvgPool2dBlock())
                .add(Linear.builder().setUnits(DIM).build());
    }
}
