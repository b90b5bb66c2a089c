package org.sp2ot.jobs.bench;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import org.sp2ot.jobs.extract.BlockFactory;

/**
 * The extraction benchmark's backbone: four stride-2 3x3 convolutions (3 -> 16 -> 32 -> 64 -> 128 channels) with
 * ReLU, global average pooling and a linear layer to 256 features (about 0.1 GFLOP per 224x224 image).
 */
public class SmallCnnFactory implements BlockFactory {
    static final int DIM = 256;

    @Override
    public Block newBlock() {
        SequentialBlock block = new SequentialBlock();
        for (int channels : new int[] {16, 32, 64, 128}) {
            block.add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optStride(new Shape(2, 2))
                    .optPadding(new Shape(1, 1)).setFilters(channels).build());
            block.add(Activation.reluBlock());
        }
        return block.add(Pool.globalAvgPool2dBlock()).add(Linear.builder().setUnits(DIM).build());
    }
}
