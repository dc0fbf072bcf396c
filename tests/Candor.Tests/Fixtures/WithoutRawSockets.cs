using System.ComponentModel;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace Candor.Tests.Fixtures;

/// <summary>
/// Runs code as a process without CAP_NET_RAW would: on a thread of its own that has dropped that capability.
/// Linux keeps capabilities per thread, so the rest of the test run keeps them; the thread ends with the code.
/// </summary>
/// <remarks>Only what the code does synchronously runs without the capability: after an await it may be elsewhere.</remarks>
public static class WithoutRawSockets
{
    private const uint CapabilityVersion3 = 0x20080522;
    private const int NetRaw = 13;

    public static T Run<T>(Func<T> code)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                DropNetRaw();
                result = code();
            }
            catch (Exception ex)
            {
                failure = ExceptionDispatchInfo.Capture(ex);
            }
        });
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    private static void DropNetRaw()
    {
        var header = new CapabilityHeader { Version = CapabilityVersion3, Pid = 0 };
        var data = new CapabilityData[2];
        if (NativeMethods.capget(ref header, data) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), "capget failed");
        }

        data[0].Effective &= ~(1u << NetRaw);
        if (NativeMethods.capset(ref header, data) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), "capset failed");
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct CapabilityHeader
    {
        public uint Version;
        public int Pid;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct CapabilityData
    {
        public uint Effective;
        public uint Permitted;
        public uint Inheritable;
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
        public static extern int capget(ref CapabilityHeader header, [Out] CapabilityData[] data);

        [DllImport("libc", SetLastError = true)]
        public static extern int capset(ref CapabilityHeader header, CapabilityData[] data);
    }
}
