package dev.mailgate.deploy;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The string constants of a class file (its constant pool's CONSTANT_Utf8 entries, JVMS 4.4.7): names,
 * descriptors and the text of string literals, compile-time constants inlined where they are used included.
 */
final class ClassConstants {
  private ClassConstants() {}

  static List<String> utf8(Path classFile) throws IOException {
    try (InputStream raw = Files.newInputStream(classFile);
        DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw))) {
      if (in.readInt() != 0xCAFEBABE) {
        throw new IOException(classFile + ": not a class file");
      }
      in.readUnsignedShort(); // minor
      in.readUnsignedShort(); // major
      int count = in.readUnsignedShort();
      List<String> out = new ArrayList<>();
      for (int i = 1; i < count; i++) {
        int tag = in.readUnsignedByte();
        switch (tag) {
          case 1: // Utf8: u2 length, modified UTF-8, which is what readUTF reads
            out.add(in.readUTF());
            break;
          case 3: // Integer
          case 4: // Float
          case 9: // Fieldref
          case 10: // Methodref
          case 11: // InterfaceMethodref
          case 12: // NameAndType
          case 17: // Dynamic
          case 18: // InvokeDynamic
            in.skipNBytes(4);
            break;
          case 5: // Long
          case 6: // Double: 8 bytes, and they take two entries (JVMS 4.4.5)
            in.skipNBytes(8);
            i++;
            break;
          case 7: // Class
          case 8: // String
          case 16: // MethodType
          case 19: // Module
          case 20: // Package
            in.skipNBytes(2);
            break;
          case 15: // MethodHandle
            in.skipNBytes(3);
            break;
          default:
            throw new IOException(classFile + ": unknown constant pool tag " + tag + " at entry " + i);
        }
      }
      return out;
    }
  }
}
