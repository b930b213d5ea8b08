package io.walkstream.model.serial;

import io.walkstream.model.GraphUpdate;
import io.walkstream.model.Hop;
import io.walkstream.model.HopBatch;
import io.walkstream.model.RankInput;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * The {@code @TypeInfo} factories that attach the hand-written serializers to the message classes.
 */
public final class MessageTypes {
    private MessageTypes() {}

    public static final class HopInfo extends TypeInfoFactory<Hop> {
        @Override
        public TypeInformation<Hop> createTypeInfo(
                Type t, Map<String, TypeInformation<?>> generics) {
            return new CompactTypeInfo<>(Hop.class, () -> HopSerializer.INSTANCE);
        }
    }

    public static final class GraphUpdateInfo extends TypeInfoFactory<GraphUpdate> {
        @Override
        public TypeInformation<GraphUpdate> createTypeInfo(
                Type t, Map<String, TypeInformation<?>> generics) {
            return new CompactTypeInfo<>(GraphUpdate.class, () -> GraphUpdateSerializer.INSTANCE);
        }
    }

    public static final class RankInputInfo extends TypeInfoFactory<RankInput> {
        @Override
        public TypeInformation<RankInput> createTypeInfo(
                Type t, Map<String, TypeInformation<?>> generics) {
            return new CompactTypeInfo<>(RankInput.class, RankInputSerializer::new);
        }
    }

    public static final class HopBatchInfo extends TypeInfoFactory<HopBatch> {
        @Override
        public TypeInformation<HopBatch> createTypeInfo(
                Type t, Map<String, TypeInformation<?>> generics) {
            return new CompactTypeInfo<>(HopBatch.class, () -> HopBatchSerializer.INSTANCE);
        }
    }
}
