namespace TinyDl;

/// <summary>
/// Base of participants that write a run somewhere: the console, CSV, TensorBoard, a manifest. A
/// <see cref="RunParticipant"/> in all but name, kept so that reporters are easy to find; override the
/// handlers you need and attach with <see cref="RunParticipant.AttachTo"/>.
/// </summary>
public abstract class Reporter : RunParticipant
{
}
