package com.shopcrm.order.service.imports;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;

/**
 * The upload on disk: the request body is copied to a spool file as it arrives (never held in
 * memory), kept until its job is done so the job can resume after a restart, and read back
 * through a decoder for the detected charset.
 */
public final class ImportSpool {

  private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
  /** GB18030 decodes every GBK file and the few characters GBK lacks. */
  public static final Charset GBK = Charset.forName("GB18030");
  private static final int SNIFF = 1 << 20;

  private ImportSpool() {
  }

  /** Copies the body to {@code file}; the number of bytes. */
  public static long write(InputStream body, Path file) throws IOException {
    Files.createDirectories(file.getParent());
    try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      return body.transferTo(out);
    }
  }

  /**
   * The file's charset: a UTF-8 or GBK {@code charset} in the Content-Type, else UTF-8 when it has a
   * UTF-8 BOM or its first MiB decodes as UTF-8, else GBK (read as GB18030).
   */
  public static Charset detect(Path file, String contentType) throws IOException {
    Charset declared = declared(contentType);
    if (declared != null && declared.equals(StandardCharsets.UTF_8)) {
      return declared;
    }
    if (declared != null && (declared.name().equalsIgnoreCase("GBK") || declared.name().equalsIgnoreCase("GB2312")
        || declared.equals(GBK))) {
      return GBK;
    }
    // any other declaration (HTTP clients add ISO-8859-1 to text/* by default) is not trusted: detect
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(SNIFF);
    }
    if (startsWithBom(head)) {
      return StandardCharsets.UTF_8;
    }
    return decodesAsUtf8(head, head.length < SNIFF) ? StandardCharsets.UTF_8 : GBK;
  }

  /** A reader of the file in its charset, past a UTF-8 BOM; counts the bytes consumed into {@code read}. */
  public static Reader open(Path file, Charset charset, long[] read) throws IOException {
    InputStream in = new BufferedInputStream(new FilterInputStream(Files.newInputStream(file)) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
          read[0] += n;
        }
        return n;
      }
    }, 1 << 16);
    if (charset.equals(StandardCharsets.UTF_8)) {
      in.mark(3);
      byte[] bom = in.readNBytes(3);
      if (!Arrays.equals(bom, UTF8_BOM)) {
        in.reset();
      }
    }
    return new InputStreamReader(in, charset.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE));
  }

  private static Charset declared(String contentType) {
    if (contentType == null) {
      return null;
    }
    for (String part : contentType.split(";")) {
      String p = part.strip();
      if (p.toLowerCase(Locale.ROOT).startsWith("charset=")) {
        String name = p.substring("charset=".length()).replace("\"", "").strip();
        try {
          return Charset.forName(name);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
          return null;
        }
      }
    }
    return null;
  }

  private static boolean startsWithBom(byte[] head) {
    return head.length >= 3 && head[0] == UTF8_BOM[0] && head[1] == UTF8_BOM[1] && head[2] == UTF8_BOM[2];
  }

  /** Strict UTF-8 decode; a sequence cut by the end of a partial sniff is not an error. */
  private static boolean decodesAsUtf8(byte[] bytes, boolean whole) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(8192);
    while (true) {
      CoderResult r = decoder.decode(in, out, whole);
      if (r.isError()) {
        return false;
      }
      if (r.isUnderflow()) {
        if (!whole) {
          return true;
        }
        try {
          CoderResult end = decoder.flush(out);
          return !end.isError();
        } catch (IllegalStateException e) {
          return true;
        }
      }
      out.clear();
    }
  }

}
