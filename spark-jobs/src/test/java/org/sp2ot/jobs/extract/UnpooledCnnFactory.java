package org.sp2ot.jobs.extract;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;

/** A convolution without pooling: returns a feature map, not a vector per image (the wrong output for a backbone). */
public class UnpooledCnnFactory implements BlockFactory {
    @Override
    public Block newBlock() {
        return new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(2).build());
    }
}
